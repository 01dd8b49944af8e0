/**
 * The demo directory: providers, placements and services for local runs, tests and benchmarks.
 *
 * Pure and deterministic: the same `{ scale, now, seed }` always gives the same objects (a seeded
 * mulberry32; no clock, no I/O). The directory is built in blocks of 60 providers; block `b` has its
 * own random stream, so the output at scale N starts with exactly the output at scale 1 (the demo
 * users' provider ids hold at every scale) and each block on its own covers every vocabulary value.
 *
 * Block 0 follows a fixed plan (kind and home city of each provider: mostly Texas and Oklahoma,
 * then Louisiana, New Mexico, Arkansas, California); later blocks draw their cities, from the
 * curated table and from further real ZIPs of the same states.
 */
import type { Placement, Provider, Service } from '../../shared/schemas/directory';
import type {
  Exclusion,
  Gender,
  Language,
  MentalHealthLevel,
  Modality,
  PlacementType,
  SecurityLevel,
  ServiceCategory,
  Specialization,
  TraumaModel,
} from '../../shared/schemas/vocabulary';
import {
  EXCLUSIONS,
  GENDERS,
  LANGUAGE_NAMES,
  LANGUAGES,
  MENTAL_HEALTH_LEVELS,
  MODALITIES,
  PLACEMENT_TYPES,
  SERVICE_CATEGORIES,
  SPECIALIZATIONS,
  TRAUMA_MODELS,
} from '../../shared/schemas/vocabulary';
import {
  FIRST_NAMES,
  LAST_NAMES,
  ORG_NOUNS,
  ROOT_FIRST,
  ROOT_SECOND,
  ROOT_SINGLE,
  ROOT_SPANISH,
  SAFE_HOUSE_NAMES,
  STREETS,
  STREET_SUFFIXES,
} from './names';
import type { DemoState, Place } from './places';
import { curatedNear, curatedPlaces, DEMO_STATES, extraPlaces, jitter, placesOf, STATE_NAMES } from './places';
import { Draw, mixSeed, mulberry32 } from './prng';

export const DEFAULT_SEED = 20261121;
export const PROVIDERS_PER_BLOCK = 60;
/** Each block holds at least this many (foster homes and clinic services top it up). */
export const MIN_PLACEMENTS_PER_BLOCK = 315;
export const MIN_SERVICES_PER_BLOCK = 640;
/** Who the demo capacity reports are attributed to. */
export const demoStaffSub = (providerId: string) => `demo-staff-${providerId}`;

export interface DemoDirectory {
  providers: Provider[];
  placements: Placement[];
  services: Service[];
}

export interface DemoDirectoryOptions {
  /** A whole number ≥ 1: N blocks of 60 providers (~315 placements, ~640 services each). */
  scale?: number;
  /** The moment freshness, licence expiry and every date are relative to. */
  now?: Date;
  seed?: number;
}

type Kind = keyof typeof ORG_NOUNS;

interface PlanEntry {
  kind: Kind;
  city: string;
  state: DemoState;
  /** A residential treatment operator with a unit specialised for CSEC survivors. */
  csecUnit?: boolean;
}

/** Block 0: 25 TX, 16 OK, 8 LA, 7 NM, 2 AR, 2 CA. The demo users point at some of these ids. */
const BLOCK0_PLAN: PlanEntry[] = [
  { kind: 'cpa', city: 'Austin', state: 'TX' },
  { kind: 'csec', city: 'Houston', state: 'TX' },
  { kind: 'rtc', city: 'San Antonio', state: 'TX', csecUnit: true },
  { kind: 'shelter', city: 'Tulsa', state: 'OK' },
  { kind: 'cpa', city: 'Oklahoma City', state: 'OK' },
  { kind: 'shelter', city: 'Houston', state: 'TX' },
  { kind: 'lgbtq', city: 'Austin', state: 'TX' },
  { kind: 'behavioral', city: 'Dallas', state: 'TX' },
  { kind: 'csec', city: 'Oklahoma City', state: 'OK' },
  { kind: 'rtc', city: 'Tyler', state: 'TX' },
  { kind: 'cpa', city: 'Dallas', state: 'TX' },
  { kind: 'maternity', city: 'San Antonio', state: 'TX' },
  { kind: 'shelter', city: 'El Paso', state: 'TX' },
  { kind: 'cpa', city: 'Lubbock', state: 'TX' },
  { kind: 'csec', city: 'New Orleans', state: 'LA' },
  { kind: 'behavioral', city: 'Tulsa', state: 'OK' },
  { kind: 'cpa', city: 'Houston', state: 'TX' },
  { kind: 'rtc', city: 'Albuquerque', state: 'NM', csecUnit: true },
  { kind: 'shelter', city: 'Amarillo', state: 'TX' },
  { kind: 'legal', city: 'Austin', state: 'TX' },
  { kind: 'cpa', city: 'Tulsa', state: 'OK' },
  { kind: 'csec', city: 'Dallas', state: 'TX' },
  { kind: 'rtc', city: 'Oklahoma City', state: 'OK' },
  { kind: 'cpa', city: 'Baton Rouge', state: 'LA' },
  { kind: 'shelter', city: 'Las Cruces', state: 'NM' },
  { kind: 'behavioral', city: 'Houston', state: 'TX' },
  { kind: 'cpa', city: 'El Paso', state: 'TX' },
  { kind: 'lgbtq', city: 'Oklahoma City', state: 'OK' },
  { kind: 'medical', city: 'Houston', state: 'TX' },
  { kind: 'cpa', city: 'Shreveport', state: 'LA' },
  { kind: 'rtc', city: 'Lawton', state: 'OK' },
  { kind: 'shelter', city: 'New Orleans', state: 'LA' },
  { kind: 'cpa', city: 'Albuquerque', state: 'NM' },
  { kind: 'csec', city: 'Albuquerque', state: 'NM' },
  { kind: 'behavioral', city: 'San Antonio', state: 'TX' },
  { kind: 'cpa', city: 'Fort Worth', state: 'TX' },
  { kind: 'maternity', city: 'Tulsa', state: 'OK' },
  { kind: 'shelter', city: 'Corpus Christi', state: 'TX' },
  { kind: 'cpa', city: 'Norman', state: 'OK' },
  { kind: 'lgbtq', city: 'New Orleans', state: 'LA' },
  { kind: 'rtc', city: 'Waco', state: 'TX' },
  { kind: 'education', city: 'Oklahoma City', state: 'OK' },
  { kind: 'cpa', city: 'Brownsville', state: 'TX' },
  { kind: 'csec', city: 'Tulsa', state: 'OK' },
  { kind: 'behavioral', city: 'Albuquerque', state: 'NM' },
  { kind: 'cpa', city: 'Muskogee', state: 'OK' },
  { kind: 'shelter', city: 'Lafayette', state: 'LA' },
  { kind: 'rtc', city: 'Shreveport', state: 'LA' },
  { kind: 'cpa', city: 'Little Rock', state: 'AR' },
  { kind: 'legal', city: 'New Orleans', state: 'LA' },
  { kind: 'cpa', city: 'Santa Fe', state: 'NM' },
  { kind: 'behavioral', city: 'Oklahoma City', state: 'OK' },
  { kind: 'shelter', city: 'Fort Smith', state: 'AR' },
  { kind: 'csec', city: 'San Diego', state: 'CA' },
  { kind: 'behavioral', city: 'Los Angeles', state: 'CA' },
  { kind: 'medical', city: 'Tulsa', state: 'OK' },
  { kind: 'maternity', city: 'Las Cruces', state: 'NM' },
  { kind: 'cpa', city: 'Enid', state: 'OK' },
  { kind: 'rtc', city: 'Midland', state: 'TX' },
  { kind: 'lgbtq', city: 'Dallas', state: 'TX' },
];

/** Where later blocks put their providers. */
const STATE_WEIGHTS: [DemoState, number][] = [
  ['TX', 42],
  ['OK', 26],
  ['LA', 13],
  ['NM', 10],
  ['AR', 6],
  ['CA', 3],
];

const NEIGHBOURS: Record<DemoState, DemoState[]> = {
  TX: ['OK', 'LA', 'NM', 'AR'],
  OK: ['TX', 'AR'],
  LA: ['TX', 'AR'],
  NM: ['TX', 'OK'],
  AR: ['OK', 'LA', 'TX'],
  CA: [],
};

const SPANISH_SHARE: Record<DemoState, number> = { TX: 0.6, OK: 0.3, LA: 0.2, NM: 0.65, AR: 0.25, CA: 0.7 };
const BORDER_CITIES = new Set(['Brownsville', 'Harlingen', 'Laredo', 'Edinburg', 'Pharr', 'El Paso', 'Eagle Pass', 'Del Rio', 'Las Cruces', 'Deming']);

// ---------- helpers ----------

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const ALL_GENDERS: Gender[] = [...GENDERS];
const GIRLS: Gender[] = ['female', 'transgender_female'];
const GIRLS_NB: Gender[] = ['female', 'transgender_female', 'nonbinary'];
const BOYS: Gender[] = ['male', 'transgender_male'];

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function ordered<T extends string>(values: Iterable<T>, order: readonly T[]): T[] {
  const set = new Set(values);
  return order.filter((v) => set.has(v));
}

// ---------- drafts ----------

interface ProviderDraft {
  provider: Provider;
  kind: Kind;
  home: Place;
  /** Places within reach for this provider's programs (home city first). */
  homePlaces: Place[];
  nearby: Place[];
  root: string;
  domain: string;
  csecUnit: boolean;
  /** The states the organisation works in: its own, and for some one or two neighbours. */
  reach: DemoState[];
  createdMs: number;
  placements: PlacementDraft[];
  services: ServiceDraft[];
  fosterHomeNo: number;
  hostHomeNo: number;
}

interface PlacementDraft {
  p: Placement;
  place: Place;
  owner: ProviderDraft;
  safeHouse: boolean;
}

interface ServiceDraft {
  s: Service;
  place: Place;
  owner: ProviderDraft;
}

interface BlockContext {
  block: number;
  draw: Draw;
  now: number;
  usedProviderNames: Set<string>;
  /** Name roots already taken in this block, so a block's program names stay distinguishable. */
  usedRoots: Set<string>;
}

// ---------- the builder ----------

export function buildDemoDirectory(options: DemoDirectoryOptions = {}): DemoDirectory {
  const scale = options.scale ?? 1;
  const now = options.now ?? new Date();
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a whole number ≥ 1, not ${scale}`);
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid date');
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, not ${seed}`);

  const out: DemoDirectory = { providers: [], placements: [], services: [] };
  const counters = { provider: 0, placement: 0, service: 0 };
  const usedProviderNames = new Set<string>();
  for (let block = 0; block < scale; block++) {
    const ctx: BlockContext = {
      block,
      draw: new Draw(mulberry32(mixSeed(seed, block))),
      now: now.getTime(),
      usedProviderNames,
      usedRoots: new Set(),
    };
    buildBlock(ctx, out, counters);
  }
  return out;
}

function buildBlock(ctx: BlockContext, out: DemoDirectory, counters: { provider: number; placement: number; service: number }): void {
  const { draw } = ctx;
  const drafts: ProviderDraft[] = BLOCK0_PLAN.map((entry) => {
    counters.provider += 1;
    return makeProvider(ctx, entry, `prv-${pad(counters.provider, 4)}`);
  });

  for (const d of drafts) planPlacements(ctx, d);
  // Top up with foster homes of the child-placing agencies, round robin.
  const cpas = drafts.filter((d) => d.kind === 'cpa');
  for (let i = 0; drafts.reduce((n, d) => n + d.placements.length, 0) < MIN_PLACEMENTS_PER_BLOCK; i++) {
    const owner = cpas[i % cpas.length]!;
    owner.placements.push(makePlacement(ctx, owner, 'foster_home', {}));
  }

  planServices(ctx, drafts);
  const clinics = drafts.filter((d) => d.kind === 'behavioral' || d.kind === 'medical' || d.kind === 'legal');
  for (let i = 0; drafts.reduce((n, d) => n + d.services.length, 0) < MIN_SERVICES_PER_BLOCK; i++) {
    const owner = clinics[i % clinics.length]!;
    owner.services.push(makeService(ctx, owner, draw.weighted(SERVICE_MIX[owner.kind]), undefined));
  }

  const placements = drafts.flatMap((d) => d.placements);
  const services = drafts.flatMap((d) => d.services);
  // A few organisations whose licence has lapsed (renewal pending), in every block.
  const lapsed = drafts.filter((d) => d.provider.license && Date.parse(d.provider.license.expires) < ctx.now).length;
  const licensed = draw.shuffle(drafts.filter((d) => d.provider.license && Date.parse(d.provider.license.expires) >= ctx.now));
  for (let i = lapsed; i < 2; i++) licensed[i - lapsed]!.provider.license!.expires = isoDate(ctx.now - draw.int(5, 200) * DAY_MS);
  ensurePlacementCoverage(ctx, placements);
  ensureServiceCoverage(ctx, services);
  assignCapacity(ctx, placements);

  for (const pd of placements) {
    counters.placement += 1;
    pd.p.id = `plc-${pad(counters.placement, 5)}`;
    pd.p.description = describePlacement(pd);
  }
  for (const sd of services) {
    counters.service += 1;
    sd.s.id = `svc-${pad(counters.service, 5)}`;
    sd.s.description = describeService(sd);
  }
  for (const d of drafts) finishProvider(d);

  out.providers.push(...drafts.map((d) => d.provider));
  out.placements.push(...placements.map((pd) => pd.p));
  out.services.push(...services.map((sd) => sd.s));
}

// ---------- providers ----------

function chooseHome(ctx: BlockContext, entry: PlanEntry): Place {
  const { draw } = ctx;
  if (ctx.block === 0) return draw.pick(placesOf(entry.city, entry.state));
  const state = draw.weighted(STATE_WEIGHTS);
  // Services-only organisations and shelters stay in towns and cities; foster care and
  // residential campuses also reach the small towns of the dataset.
  const townsOnly = ['behavioral', 'legal', 'medical', 'education', 'shelter', 'lgbtq'].includes(entry.kind);
  if (!townsOnly && draw.chance(0.45)) return draw.pick(extraPlaces(state));
  const curated = curatedPlaces().byState.get(state) ?? [];
  const tierWeight = { metro: 3, town: 2, rural: 1 } as const;
  return draw.weighted(curated.map((p) => [p, tierWeight[p.tier]] as const));
}

function chooseRoot(draw: Draw, home: Place): string {
  const spanish = home.state === 'NM' || home.state === 'CA' || BORDER_CITIES.has(home.city) ? 0.35 : home.state === 'TX' ? 0.12 : 0.03;
  if (draw.chance(spanish)) return draw.pick(ROOT_SPANISH);
  if (draw.chance(0.3)) return draw.pick(ROOT_SINGLE);
  return `${draw.pick(ROOT_FIRST)} ${draw.pick(ROOT_SECOND)}`;
}

function personName(draw: Draw): string {
  return `${draw.pick(FIRST_NAMES)} ${draw.pick(LAST_NAMES)}`;
}

/** Fictional numbers: 555-0100 to 555-0199 are reserved for fiction. */
function phone(draw: Draw, areaCode: string): string {
  return `(${areaCode}) 555-01${pad(draw.int(0, 99), 2)}`;
}

function streetAddress(draw: Draw, suite = false): string {
  const base = `${draw.int(100, 9899)} ${draw.pick(STREETS)} ${draw.pick(STREET_SUFFIXES)}`;
  return suite ? `${base}, Suite ${draw.int(1, 4)}${pad(draw.int(0, 20), 2)}` : base;
}

const ACCREDITATION_ODDS: Record<Kind, [string, number][]> = {
  cpa: [['COA', 0.6], ['CARF', 0.1]],
  rtc: [['Joint Commission', 0.55], ['CARF', 0.3], ['COA', 0.25]],
  shelter: [['COA', 0.4], ['CARF', 0.1]],
  csec: [['COA', 0.45], ['CARF', 0.2]],
  lgbtq: [['COA', 0.2]],
  maternity: [['COA', 0.5]],
  behavioral: [['CARF', 0.5], ['Joint Commission', 0.35]],
  legal: [],
  medical: [['Joint Commission', 0.8]],
  education: [['COA', 0.1]],
};

const LICENSE_CODES: Record<Kind, string | undefined> = {
  cpa: 'CPA',
  rtc: 'GRO',
  shelter: 'ES',
  csec: 'GRO',
  lgbtq: 'CPA',
  maternity: 'GRO',
  behavioral: 'BH',
  legal: undefined,
  medical: 'CLN',
  education: undefined,
};

function makeProvider(ctx: BlockContext, entry: PlanEntry, id: string): ProviderDraft {
  const { draw, now } = ctx;
  const home = chooseHome(ctx, entry);
  let root = chooseRoot(draw, home);
  let name = `${root} ${draw.pick(ORG_NOUNS[entry.kind])}`;
  for (let attempt = 0; (ctx.usedRoots.has(root) || ctx.usedProviderNames.has(name)) && attempt < 12; attempt++) {
    root = chooseRoot(draw, home);
    name = `${root} ${draw.pick(ORG_NOUNS[entry.kind])}`;
  }
  ctx.usedRoots.add(root);
  if (ctx.usedProviderNames.has(name)) name = `${name} of ${home.city}`;
  if (ctx.usedProviderNames.has(name)) name = `${name} (${id})`;
  ctx.usedProviderNames.add(name);

  const domain = `${slug(name)}.example.org`;
  const homePlaces = home.curated ? placesOf(home.city, home.state) : [home];
  const nearby = [...curatedNear(home.state, home, 90)];
  if (!home.curated) nearby.push(home);
  const createdMs = now - draw.int(700, 3200) * DAY_MS;
  const updatedMs = createdMs + draw.next() * (now - createdMs);

  const contacts: Provider['contacts'] = [
    { name: personName(draw), role: entry.kind === 'legal' ? 'Intake Attorney' : 'Intake Coordinator', phone: phone(draw, home.areaCode), email: `intake@${domain}` },
    { name: personName(draw), role: 'Executive Director', email: `director@${domain}` },
  ];
  if (['shelter', 'csec', 'rtc'].includes(entry.kind)) {
    contacts.push({ name: 'After-hours intake line', role: '24/7 intake', phone: phone(draw, home.areaCode) });
  }
  const reach: DemoState[] = [home.state];
  const multiState = ['csec', 'rtc', 'behavioral', 'legal'].includes(entry.kind) ? 0.35 : 0.1;
  if (NEIGHBOURS[home.state].length > 0 && draw.chance(multiState)) reach.push(...draw.sample(NEIGHBOURS[home.state], draw.int(1, 2)));
  const accreditations = ACCREDITATION_ODDS[entry.kind].filter(([, p]) => draw.chance(p)).map(([a]) => a);
  const code = LICENSE_CODES[entry.kind];
  const expired = draw.chance(0.06);
  const provider: Provider = {
    id,
    name,
    contacts,
    accreditations,
    statesServed: [home.state],
    website: `https://www.${domain}`,
    active: true,
    version: 1,
    createdAt: iso(createdMs),
    updatedAt: iso(updatedMs),
  };
  if (code) {
    provider.license = {
      number: `${home.state}-${code}-${pad(draw.int(10000, 999999), 6)}`,
      expires: isoDate(expired ? now - draw.int(5, 200) * DAY_MS : now + draw.int(45, 1000) * DAY_MS),
    };
  }
  return {
    provider,
    kind: entry.kind,
    home,
    homePlaces,
    nearby,
    root,
    domain,
    csecUnit: entry.csecUnit ?? (ctx.block > 0 && entry.kind === 'rtc' && draw.chance(0.3)),
    reach: ordered(reach, DEMO_STATES),
    createdMs,
    placements: [],
    services: [],
    fosterHomeNo: 0,
    hostHomeNo: 0,
  };
}

const KIND_DESCRIPTIONS: Record<Kind, string> = {
  cpa: 'A licensed child-placing agency that recruits, trains and supports foster families, including therapeutic foster homes for youth with higher needs.',
  rtc: 'Operates licensed residential treatment and group care for adolescents with significant behavioral health needs, with on-site clinicians, nursing and an accredited school.',
  shelter: 'Emergency shelter, transitional living and host homes for youth in foster care, runaway youth and youth experiencing homelessness.',
  csec: 'A survivor-centered organisation serving children and youth who have experienced or are at risk of commercial sexual exploitation and trafficking: specialised placements, advocacy and mentoring by survivors.',
  lgbtq: 'Affirming host homes and transitional living for LGBTQ+ youth and young adults in and aging out of foster care.',
  maternity: 'Homes and support for pregnant and parenting youth in foster care and their babies: prenatal care, parenting classes and school.',
  behavioral: 'Outpatient behavioral health for children, youth and families: trauma-focused therapy, substance-use treatment and family therapy, in clinic and by telehealth.',
  legal: 'Free legal representation and advocacy for youth in foster care and survivors of trafficking: vacatur and record sealing, immigration relief, victim rights.',
  medical: 'Adolescent primary care, sexual and reproductive health, and forensic-informed medical follow-up for youth in care.',
  education: 'GED preparation, credit recovery and school re-entry support for youth in care and youth returning from runaway episodes.',
};

function finishProvider(d: ProviderDraft): void {
  const states = new Set<string>(d.reach);
  for (const pd of d.placements) states.add(pd.p.location.state);
  for (const sd of d.services) {
    states.add(sd.s.location.state);
    for (const s of sd.s.serviceArea.states) states.add(s);
  }
  d.provider.statesServed = ordered(states, DEMO_STATES as string[]);
  const placementTypes = new Set(d.placements.map((pd) => TYPE_LABELS[pd.p.type].toLowerCase()));
  const where = d.provider.statesServed.length > 1 ? `${STATE_NAMES[d.home.state]} and neighbouring states` : STATE_NAMES[d.home.state];
  const programs = placementTypes.size > 0 ? ` Programs: ${listText([...placementTypes])}.` : '';
  d.provider.description = `${KIND_DESCRIPTIONS[d.kind]} Based in ${d.home.city}, serving ${where}.${programs}`;
}

// ---------- placements ----------

const TYPE_LABELS: Record<PlacementType, string> = {
  emergency_shelter: 'Emergency Shelter',
  foster_home: 'Foster Home',
  therapeutic_foster_care: 'Therapeutic Foster Home',
  group_home: 'Group Home',
  residential_treatment: 'Residential Treatment Center',
  transitional_living: 'Transitional Living',
  host_home: 'Host Home',
};

const TYPE_CODES: Record<PlacementType, string> = {
  emergency_shelter: 'ES',
  foster_home: 'FH',
  therapeutic_foster_care: 'TFC',
  group_home: 'GRO',
  residential_treatment: 'RTC',
  transitional_living: 'TLP',
  host_home: 'HH',
};

interface PlacementMods {
  csec?: boolean;
  safeHouse?: boolean;
  lgbtq?: boolean;
  maternity?: boolean;
}

function planPlacements(ctx: BlockContext, d: ProviderDraft): void {
  const { draw } = ctx;
  const add = (type: PlacementType, mods: PlacementMods = {}) => d.placements.push(makePlacement(ctx, d, type, mods));
  switch (d.kind) {
    case 'cpa': {
      const n = draw.int(9, 15);
      for (let i = 0; i < n; i++) add(draw.chance(0.3) ? 'therapeutic_foster_care' : 'foster_home');
      break;
    }
    case 'rtc': {
      const rtcs = draw.int(1, 3);
      for (let i = 0; i < rtcs; i++) add('residential_treatment', { csec: d.csecUnit && i === 0 });
      const ghs = draw.int(1, 2);
      for (let i = 0; i < ghs; i++) add('group_home');
      break;
    }
    case 'shelter': {
      add('emergency_shelter');
      if (draw.chance(0.3)) add('emergency_shelter');
      if (draw.chance(0.6)) add('transitional_living');
      if (draw.chance(0.4)) for (let i = draw.int(1, 2); i > 0; i--) add('host_home');
      break;
    }
    case 'csec': {
      add(draw.chance(0.6) ? 'group_home' : 'residential_treatment', { csec: true, safeHouse: true });
      for (let i = draw.int(1, 2); i > 0; i--) add('therapeutic_foster_care', { csec: true });
      if (draw.chance(0.6)) add('transitional_living', { csec: true });
      if (draw.chance(0.4)) add('emergency_shelter', { csec: true });
      break;
    }
    case 'lgbtq': {
      for (let i = draw.int(2, 4); i > 0; i--) add('host_home', { lgbtq: true });
      if (draw.chance(0.7)) add('transitional_living', { lgbtq: true });
      break;
    }
    case 'maternity': {
      add(draw.chance(0.5) ? 'group_home' : 'transitional_living', { maternity: true });
      if (draw.chance(0.5)) add('transitional_living', { maternity: true });
      for (let i = draw.int(0, 2); i > 0; i--) add('foster_home', { maternity: true });
      break;
    }
    default:
      break;
  }
}

const EXCLUSION_ODDS: Record<PlacementType, Record<Exclusion, number>> = {
  foster_home: { fire_setting: 0.6, sexual_harm_to_others: 0.7, violence: 0.45, active_psychosis: 0.75, complex_medical: 0.5 },
  therapeutic_foster_care: { fire_setting: 0.4, sexual_harm_to_others: 0.5, violence: 0.3, active_psychosis: 0.5, complex_medical: 0.4 },
  emergency_shelter: { fire_setting: 0.5, sexual_harm_to_others: 0.6, violence: 0.35, active_psychosis: 0.6, complex_medical: 0.6 },
  group_home: { fire_setting: 0.45, sexual_harm_to_others: 0.55, violence: 0.35, active_psychosis: 0.6, complex_medical: 0.5 },
  residential_treatment: { fire_setting: 0.2, sexual_harm_to_others: 0.35, violence: 0.1, active_psychosis: 0.25, complex_medical: 0.35 },
  transitional_living: { fire_setting: 0.4, sexual_harm_to_others: 0.6, violence: 0.4, active_psychosis: 0.6, complex_medical: 0.4 },
  host_home: { fire_setting: 0.7, sexual_harm_to_others: 0.8, violence: 0.6, active_psychosis: 0.8, complex_medical: 0.6 },
};

const SPEC_ODDS: Record<PlacementType, Partial<Record<Specialization, number>>> = {
  foster_home: { trauma_informed: 0.55, lgbtq_affirming: 0.15, substance_use: 0.02, mental_health: 0.05, developmental_disability: 0.08, pregnant_parenting: 0.06, csec: 0.02 },
  therapeutic_foster_care: { trauma_informed: 0.95, lgbtq_affirming: 0.15, substance_use: 0.05, mental_health: 0.7, developmental_disability: 0.12, pregnant_parenting: 0.04, csec: 0.08 },
  emergency_shelter: { trauma_informed: 0.7, lgbtq_affirming: 0.3, substance_use: 0.1, mental_health: 0.25, developmental_disability: 0.05, pregnant_parenting: 0.15, csec: 0.04 },
  group_home: { trauma_informed: 0.7, lgbtq_affirming: 0.15, substance_use: 0.15, mental_health: 0.35, developmental_disability: 0.12, pregnant_parenting: 0.04, csec: 0.05 },
  residential_treatment: { trauma_informed: 0.9, lgbtq_affirming: 0.15, substance_use: 0.4, mental_health: 1, developmental_disability: 0.15, csec: 0.04 },
  transitional_living: { trauma_informed: 0.6, lgbtq_affirming: 0.35, substance_use: 0.15, mental_health: 0.2, pregnant_parenting: 0.25 },
  host_home: { trauma_informed: 0.5, lgbtq_affirming: 0.35, mental_health: 0.02 },
};

const MODEL_ODDS: Record<PlacementType, Partial<Record<TraumaModel, number>>> = {
  foster_home: { tbri: 0.6, tf_cbt: 0.25, arc: 0.2 },
  therapeutic_foster_care: { tbri: 0.55, tf_cbt: 0.5, arc: 0.3 },
  emergency_shelter: { sanctuary: 0.35, tbri: 0.4, arc: 0.2 },
  group_home: { sanctuary: 0.45, tbri: 0.3, tf_cbt: 0.3, arc: 0.15 },
  residential_treatment: { sanctuary: 0.4, tf_cbt: 0.55, arc: 0.2, tbri: 0.2 },
  transitional_living: { arc: 0.3, tbri: 0.2, sanctuary: 0.2 },
  host_home: { tbri: 0.4, arc: 0.3 },
};

const AGES: Record<PlacementType, { min: number[]; max: number[] }> = {
  foster_home: { min: [0, 0, 0, 3, 5, 6, 10, 12], max: [17, 17, 17, 17, 18, 21] },
  therapeutic_foster_care: { min: [5, 6, 8, 10, 12], max: [17, 17, 18] },
  emergency_shelter: { min: [6, 10, 10, 12, 12, 13], max: [17, 17, 17, 18] },
  group_home: { min: [10, 12, 12, 13, 14], max: [17, 17, 18] },
  residential_treatment: { min: [8, 10, 11, 12, 12, 13], max: [17, 17, 18] },
  transitional_living: { min: [16, 16, 17, 18], max: [20, 21, 21, 22] },
  host_home: { min: [16, 16, 17, 18], max: [20, 21, 21, 24] },
};

const GENDER_MIX: Record<PlacementType, [Gender[], number][]> = {
  foster_home: [[ALL_GENDERS, 0.55], [GIRLS, 0.15], [BOYS, 0.1], [['female'], 0.1], [['male'], 0.1]],
  therapeutic_foster_care: [[ALL_GENDERS, 0.6], [GIRLS, 0.2], [BOYS, 0.2]],
  emergency_shelter: [[ALL_GENDERS, 0.6], [GIRLS_NB, 0.2], [BOYS, 0.2]],
  group_home: [[GIRLS, 0.35], [BOYS, 0.35], [ALL_GENDERS, 0.2], [GIRLS_NB, 0.1]],
  residential_treatment: [[GIRLS, 0.3], [BOYS, 0.3], [ALL_GENDERS, 0.3], [['female'], 0.05], [['male'], 0.05]],
  transitional_living: [[ALL_GENDERS, 0.7], [GIRLS_NB, 0.2], [BOYS, 0.1]],
  host_home: [[ALL_GENDERS, 0.85], [GIRLS_NB, 0.15]],
};

const BEDS: Record<PlacementType, [number, number]> = {
  foster_home: [1, 4],
  therapeutic_foster_care: [1, 3],
  emergency_shelter: [8, 30],
  group_home: [6, 12],
  residential_treatment: [10, 48],
  transitional_living: [6, 20],
  host_home: [1, 2],
};

const OUT_OF_STATE_ODDS: Record<PlacementType, number> = {
  foster_home: 0.05,
  therapeutic_foster_care: 0.15,
  emergency_shelter: 0.15,
  group_home: 0.2,
  residential_treatment: 0.6,
  transitional_living: 0.15,
  host_home: 0.1,
};

/** The odds tables as lists, built once (they are read for every placement). */
const entriesOf = <K extends string>(table: Partial<Record<K, number>>) => Object.entries(table) as [K, number][];
const SPEC_ENTRIES = Object.fromEntries(PLACEMENT_TYPES.map((t) => [t, entriesOf(SPEC_ODDS[t])])) as Record<PlacementType, [Specialization, number][]>;
const MODEL_ENTRIES = Object.fromEntries(PLACEMENT_TYPES.map((t) => [t, entriesOf(MODEL_ODDS[t])])) as Record<PlacementType, [TraumaModel, number][]>;
const EXCLUSION_ENTRIES = Object.fromEntries(PLACEMENT_TYPES.map((t) => [t, entriesOf(EXCLUSION_ODDS[t])])) as Record<PlacementType, [Exclusion, number][]>;

/** Private family homes: the directory shows the town and ZIP, never a family's street address. */
const FAMILY_HOMES = new Set<PlacementType>(['foster_home', 'therapeutic_foster_care', 'host_home']);

function languagesFor(draw: Draw, place: Place, extraOdds: number, maxLocal: number): Language[] {
  const langs = new Set<Language>(['en']);
  const spanish = BORDER_CITIES.has(place.city) ? 0.95 : SPANISH_SHARE[place.state];
  if (draw.chance(spanish)) langs.add('es');
  let local = 0;
  for (const l of draw.sample(place.localLanguages, place.localLanguages.length)) {
    if (local < maxLocal && draw.chance(extraOdds)) {
      langs.add(l);
      local += 1;
    }
  }
  if (place.state === 'LA' && draw.chance(0.05)) langs.add('fr');
  if (draw.chance(0.03)) langs.add('ase');
  return ordered(langs, LANGUAGES);
}

function placeFor(draw: Draw, d: ProviderDraft, homeShare: number): Place {
  if (d.nearby.length === 0 || draw.chance(homeShare)) return draw.pick(d.homePlaces);
  return draw.pick(d.nearby);
}

function makePlacement(ctx: BlockContext, d: ProviderDraft, type: PlacementType, mods: PlacementMods): PlacementDraft {
  const { draw, now } = ctx;
  const homeShare = type === 'foster_home' || type === 'therapeutic_foster_care' ? 0.5 : type === 'residential_treatment' ? 0.5 : 0.85;
  const place = placeFor(draw, d, homeShare);
  const point = jitter(draw, place);

  // Specialisations
  const specs = new Set<Specialization>();
  for (const [spec, p] of SPEC_ENTRIES[type]) if (draw.chance(p)) specs.add(spec);
  if (mods.csec) specs.add('csec');
  if (mods.lgbtq) specs.add('lgbtq_affirming');
  if (mods.maternity) specs.add('pregnant_parenting');
  if (specs.has('csec')) {
    specs.add('trauma_informed');
    if (draw.chance(mods.csec ? 0.85 : 0.4)) specs.add('survivor_mentor');
    if (draw.chance(0.6)) specs.add('mental_health');
    if (draw.chance(0.25)) specs.add('substance_use');
  } else if (draw.chance(0.02)) {
    specs.add('survivor_mentor');
  }

  // Trauma models
  const models = new Set<TraumaModel>();
  if (specs.has('trauma_informed')) {
    for (const [m, p] of MODEL_ENTRIES[type]) if (draw.chance(p)) models.add(m);
    if (specs.has('csec')) {
      if (draw.chance(0.8)) models.add('my_life_my_choice');
      if (draw.chance(0.5)) models.add('tbri');
      if (draw.chance(0.4)) models.add('tf_cbt');
    }
    if (specs.has('substance_use') && draw.chance(0.7)) models.add('seeking_safety');
    if (models.size === 0) models.add(draw.pick(['tbri', 'tf_cbt', 'sanctuary', 'arc'] as const));
  }

  // Population
  let genders: Gender[];
  if (mods.lgbtq) genders = ALL_GENDERS;
  else if (mods.maternity) genders = draw.weighted<Gender[]>([[['female'], 0.5], [['female', 'transgender_male'], 0.2], [['female', 'transgender_male', 'nonbinary'], 0.3]]);
  else if (specs.has('csec')) genders = draw.weighted<Gender[]>([[GIRLS_NB, 0.55], [['female'], 0.2], [BOYS, 0.15], [ALL_GENDERS, 0.1]]);
  else genders = draw.weighted(GENDER_MIX[type]);
  genders = ordered(genders, GENDERS);
  const canBePregnant = genders.includes('female') || genders.includes('transgender_male');
  if (!canBePregnant) specs.delete('pregnant_parenting');
  const ages = mods.maternity ? { min: [12, 13, 14], max: [18, 21, 21] } : mods.safeHouse ? { min: [11, 12, 12, 13], max: [17, 17, 18] } : AGES[type];
  const minAge = draw.pick(ages.min);
  const maxAge = Math.max(minAge, draw.pick(ages.max));
  const pregnant = specs.has('pregnant_parenting') || (canBePregnant && (type === 'emergency_shelter' || type === 'transitional_living') && draw.chance(0.1));
  const parenting = specs.has('pregnant_parenting') && draw.chance(0.75);

  // Level of care and security
  let mentalHealthLevel: MentalHealthLevel =
    type === 'residential_treatment'
      ? 'residential'
      : draw.weighted<MentalHealthLevel>(
          type === 'therapeutic_foster_care'
            ? [['intensive_outpatient', 0.5], ['outpatient', 0.5]]
            : type === 'group_home'
              ? [['outpatient', 0.6], ['intensive_outpatient', 0.2], ['none', 0.2]]
              : type === 'foster_home'
                ? [['none', 0.7], ['outpatient', 0.3]]
                : type === 'host_home'
                  ? [['none', 0.8], ['outpatient', 0.2]]
                  : [['outpatient', 0.5], ['none', 0.5]],
        );
  if (mods.safeHouse && mentalHealthLevel !== 'residential') mentalHealthLevel = draw.chance(0.6) ? 'intensive_outpatient' : 'outpatient';
  if (specs.has('mental_health') && mentalHealthLevel === 'none') mentalHealthLevel = 'outpatient';

  let security: SecurityLevel = 'open';
  if (mods.safeHouse) security = draw.chance(0.65) ? 'staff_secure' : 'open';
  else if (type === 'residential_treatment') security = draw.weighted<SecurityLevel>([['secure', 0.06], ['staff_secure', 0.5], ['open', 0.44]]);
  else if (type === 'group_home') security = draw.chance(specs.has('csec') ? 0.5 : 0.15) ? 'staff_secure' : 'open';
  else if (type === 'emergency_shelter') security = draw.chance(0.1) ? 'staff_secure' : 'open';
  const runPrevention =
    security !== 'open' ? draw.chance(0.9) : specs.has('csec') ? draw.chance(0.85) : draw.chance(type === 'emergency_shelter' ? 0.3 : type === 'group_home' ? 0.25 : 0.05);

  const exclusions = ordered(
    EXCLUSION_ENTRIES[type].filter(([, p]) => draw.chance(security === 'secure' ? p / 2 : p)).map(([e]) => e),
    EXCLUSIONS,
  );

  // Intake
  const intake: Placement['intake'] = { twentyFourSeven: false, emergency: false };
  switch (type) {
    case 'emergency_shelter':
      intake.twentyFourSeven = true;
      intake.emergency = true;
      intake.responseHours = draw.int(1, 2);
      break;
    case 'foster_home':
      intake.twentyFourSeven = draw.chance(0.1);
      intake.emergency = draw.chance(0.3);
      intake.responseHours = draw.pick([4, 8, 12, 24, 48]);
      break;
    case 'therapeutic_foster_care':
      intake.emergency = draw.chance(0.2);
      intake.responseHours = draw.pick([24, 48, 72]);
      break;
    case 'group_home':
      intake.twentyFourSeven = draw.chance(0.2);
      intake.emergency = draw.chance(0.25);
      intake.responseHours = draw.pick([8, 24, 48]);
      break;
    case 'residential_treatment':
      intake.twentyFourSeven = draw.chance(0.25);
      intake.emergency = draw.chance(0.15);
      intake.responseHours = draw.pick([24, 48, 72, 120]);
      break;
    default:
      intake.emergency = draw.chance(0.1);
      intake.responseHours = draw.pick([24, 48, 72, 168]);
  }
  if (mods.safeHouse) {
    intake.twentyFourSeven = draw.chance(0.6);
    intake.emergency = draw.chance(0.5);
    intake.responseHours = draw.pick([2, 4, 12, 24]);
  }
  if (draw.chance(0.08)) delete intake.responseHours;

  // Name
  let name: string;
  if (mods.safeHouse) name = `${draw.pick(SAFE_HOUSE_NAMES)} – ${place.city}`;
  else if (type === 'foster_home') name = `${d.root} ${mods.maternity ? 'Teen Parent Foster Home' : 'Foster Home'} ${++d.fosterHomeNo} – ${place.city}`;
  else if (type === 'therapeutic_foster_care') name = `${d.root} ${specs.has('csec') ? 'Specialized ' : ''}Therapeutic Foster Home ${++d.fosterHomeNo} – ${place.city}`;
  else if (type === 'host_home') name = `${d.root} Host Home ${++d.hostHomeNo} – ${place.city}`;
  else if (type === 'residential_treatment' && specs.has('csec')) name = `${d.root} Restoration Program (Residential) – ${place.city}`;
  else if (type === 'transitional_living' && mods.maternity) name = `${d.root} Young Parents Transitional Living – ${place.city}`;
  else if (type === 'group_home' && mods.maternity) name = `${d.root} Maternity Home – ${place.city}`;
  else if (type === 'transitional_living' && specs.has('csec')) name = `${d.root} Survivor Transitional Living – ${place.city}`;
  else if (type === 'emergency_shelter' && specs.has('csec')) name = `${d.root} Assessment Center & Emergency Shelter – ${place.city}`;
  else {
    const who = genders.length <= 2 && genders.every((g) => g === 'female' || g === 'transgender_female') ? "Girls' " : genders.length <= 2 && genders.every((g) => g === 'male' || g === 'transgender_male') ? "Boys' " : '';
    const label = type === 'group_home' || type === 'residential_treatment' ? `${who}${TYPE_LABELS[type]}` : TYPE_LABELS[type];
    name = `${d.root} ${label} – ${place.city}`;
  }

  const createdMs = now - draw.int(45, Math.max(46, Math.min(1400, Math.floor((now - d.createdMs) / DAY_MS) - 10))) * DAY_MS;
  const licenseExpired = draw.chance(0.03);
  const location: Placement['location'] = {
    city: place.city,
    state: place.state,
    zip: place.zip,
    lat: point.lat,
    lon: point.lon,
    confidential: mods.safeHouse === true,
  };
  if (!FAMILY_HOMES.has(type)) location.address = streetAddress(draw);
  if (place.county) location.county = place.county;

  const p: Placement = {
    id: '',
    providerId: d.provider.id,
    name,
    type,
    location: orderLocation(location),
    population: { minAge, maxAge, genders, acceptsPregnant: pregnant, acceptsParenting: parenting },
    specializations: ordered(specs, SPECIALIZATIONS),
    traumaModels: ordered(models, TRAUMA_MODELS),
    mentalHealthLevel,
    security,
    runPrevention,
    languages: languagesFor(draw, place, 0.12, 1),
    exclusions,
    acceptsOutOfState: draw.chance(specs.has('csec') ? 0.65 : OUT_OF_STATE_ODDS[type]),
    license: {
      number: `${place.state}-${TYPE_CODES[type]}-${pad(draw.int(10000, 999999), 6)}`,
      expires: isoDate(licenseExpired ? now - draw.int(3, 240) * DAY_MS : now + draw.int(20, 900) * DAY_MS),
    },
    intake,
    active: !draw.chance(0.015),
    version: 1,
    createdAt: iso(createdMs),
    updatedAt: iso(createdMs + draw.next() * (now - createdMs)),
    capacity: { total: 0, occupied: 0, holds: {}, version: 1, updatedAt: null, updatedBy: null, confirmedAt: null, confirmedBy: null },
  };
  return { p, place, owner: d, safeHouse: mods.safeHouse === true };
}

/** Keys in the order the API documents them (address, city, county, state, zip, lat, lon, confidential). */
function orderLocation(l: Placement['location']): Placement['location'] {
  const out: Partial<Placement['location']> = {};
  if (l.address !== undefined) out.address = l.address;
  out.city = l.city;
  if (l.county !== undefined) out.county = l.county;
  out.state = l.state;
  out.zip = l.zip;
  out.lat = l.lat;
  out.lon = l.lon;
  out.confidential = l.confidential;
  return out as Placement['location'];
}

type Band = 'fresh' | 'aging' | 'stale' | 'unknown';

/**
 * Capacity and freshness. Each block gets exact shares (40 % fresh, 25 % aging, 25 % stale,
 * the rest — about 10 % — never reported), dealt out in a shuffled order.
 */
function assignCapacity(ctx: BlockContext, placements: PlacementDraft[]): void {
  const { draw, now } = ctx;
  const n = placements.length;
  const fresh = Math.round(n * 0.4);
  const aging = Math.round(n * 0.25);
  const stale = Math.round(n * 0.25);
  const bands: Band[] = [
    ...Array<Band>(fresh).fill('fresh'),
    ...Array<Band>(aging).fill('aging'),
    ...Array<Band>(stale).fill('stale'),
    ...Array<Band>(n - fresh - aging - stale).fill('unknown'),
  ];
  draw.shuffle(bands);
  placements.forEach((pd, i) => {
    const band = bands[i]!;
    const p = pd.p;
    const by = demoStaffSub(p.providerId);
    if (band === 'unknown') {
      // Never reported: a program listed recently whose staff have not sent a count yet.
      const createdMs = now - draw.real(0.5, 25) * DAY_MS;
      p.createdAt = iso(createdMs);
      p.updatedAt = iso(createdMs + draw.next() * (now - createdMs));
      p.capacity = { total: 0, occupied: 0, holds: {}, version: 1, updatedAt: null, updatedBy: null, confirmedAt: null, confirmedBy: null };
      return;
    }
    const ageMs =
      band === 'fresh'
        ? draw.real(1 / 60, 1.8) * HOUR_MS
        : band === 'aging'
          ? draw.real(2.2, 7.8) * HOUR_MS
          : draw.chance(0.5)
            ? draw.real(8.5, 48) * HOUR_MS
            : draw.real(2, 20) * DAY_MS;
    const lastMs = now - ageMs;
    const [lo, hi] = BEDS[p.type];
    let total = draw.int(lo, hi);
    let occupied: number;
    const mode = draw.weighted<'full' | 'open' | 'zero'>([
      ['full', 0.28],
      ['open', 0.64],
      ['zero', FAMILY_HOMES.has(p.type) ? 0.12 : 0.02],
    ]);
    if (mode === 'zero') {
      // A home or unit paused for intake (respite, renovation, staffing): reports no beds at all.
      total = 0;
      occupied = 0;
    } else if (mode === 'full') {
      occupied = total;
    } else {
      // Child welfare runs near full: open beds are usually one or two.
      occupied = Math.max(0, total - 1 - Math.floor(draw.next() ** 2 * total));
    }
    const confirmed = draw.chance(0.35);
    const capacity: Placement['capacity'] = {
      total,
      occupied,
      holds: {},
      version: 2 + draw.int(0, 30),
      updatedAt: null,
      updatedBy: null,
      confirmedAt: null,
      confirmedBy: null,
    };
    if (confirmed) {
      // "Still accurate": the counts are older, the confirmation restarts freshness.
      capacity.updatedAt = iso(Math.max(Date.parse(p.createdAt), lastMs - draw.real(1, 240) * HOUR_MS));
      capacity.confirmedAt = iso(lastMs);
      capacity.confirmedBy = by;
    } else {
      capacity.updatedAt = iso(lastMs);
      if (draw.chance(0.4)) {
        capacity.confirmedAt = iso(Math.max(Date.parse(p.createdAt), lastMs - draw.real(1, 200) * HOUR_MS));
        capacity.confirmedBy = by;
      }
    }
    capacity.updatedBy = by;
    p.capacity = capacity;
  });
}

const MODEL_NAMES: Record<TraumaModel, string> = {
  tf_cbt: 'TF-CBT',
  tbri: 'TBRI',
  sanctuary: 'the Sanctuary Model',
  arc: 'ARC',
  seeking_safety: 'Seeking Safety',
  my_life_my_choice: 'My Life My Choice',
};


const GENDER_WORDS: Record<Gender, string> = {
  female: 'girls',
  male: 'boys',
  transgender_female: 'transgender girls',
  transgender_male: 'transgender boys',
  nonbinary: 'nonbinary youth',
};

function describePlacement(pd: PlacementDraft): string {
  const p = pd.p;
  const specs = new Set(p.specializations);
  const [lo, hi] = BEDS[p.type];
  const who = p.population.genders.length === GENDERS.length ? 'youth of all genders' : listText(p.population.genders.map((g) => GENDER_WORDS[g]));
  const ages = `ages ${p.population.minAge}–${p.population.maxAge}`;
  const parts: string[] = [];
  switch (p.type) {
    case 'foster_home':
      parts.push(`A licensed foster family home (up to ${hi} children) for ${who}, ${ages}, supported by caseworkers on call around the clock.`);
      break;
    case 'therapeutic_foster_care':
      parts.push(`A therapeutic foster home (1–${hi} youth) for ${who}, ${ages}, with trained treatment parents, weekly in-home therapy and a 24/7 crisis line.`);
      break;
    case 'emergency_shelter':
      parts.push(`An emergency shelter (${lo}–${hi} beds) for ${who}, ${ages}: safe same-day placement, assessment and planning for the next step.`);
      break;
    case 'group_home':
      parts.push(`A small group home for ${who}, ${ages}, with awake night staff, school support and weekly individual and group therapy.`);
      break;
    case 'residential_treatment':
      parts.push(`Residential treatment for ${who}, ${ages}: psychiatric care, nursing, daily therapeutic programming and an on-campus school.`);
      break;
    case 'transitional_living':
      parts.push(`Transitional living apartments for ${who}, ${ages}: life skills, employment and education coaching, and a path to independent housing.`);
      break;
    case 'host_home':
      parts.push(`A host home for ${who}, ${ages}: a trained volunteer household offering a room, mentoring and stability.`);
      break;
  }
  if (pd.safeHouse) parts.push('A safe house at a confidential location: the address is shared only with the coordinating team.');
  if (specs.has('csec')) {
    parts.push('Specialised for youth who have experienced or are at risk of commercial sexual exploitation (CSEC), with staff trained in trafficking-informed care.');
  }
  if (specs.has('survivor_mentor')) parts.push('Survivor mentors with lived experience are part of the team.');
  if (p.traumaModels.length > 0) parts.push(`Trauma-informed care using ${listText(p.traumaModels.map((m) => MODEL_NAMES[m]))}.`);
  if (specs.has('lgbtq_affirming')) parts.push('LGBTQ+-affirming: chosen names and pronouns are respected, and staff are trained in affirming care.');
  if (specs.has('substance_use')) parts.push('Integrated substance-use treatment.');
  if (specs.has('developmental_disability')) parts.push('Experienced with youth with intellectual and developmental disabilities.');
  if (p.population.acceptsPregnant && p.population.acceptsParenting) parts.push('Accepts pregnant and parenting youth together with their babies.');
  else if (p.population.acceptsPregnant) parts.push('Accepts pregnant youth.');
  if (p.security === 'staff_secure') parts.push('Staff-secure: a structured setting with awake staff and supervised outings.');
  if (p.security === 'secure') parts.push('Secure setting (court order required).');
  if (p.runPrevention) parts.push('Structured run-prevention program (safety planning, night staffing, door alarms).');
  if (p.intake.twentyFourSeven) parts.push('Admissions 24/7.');
  else if (p.intake.emergency) parts.push('Same-day emergency admissions.');
  const others = p.languages.filter((l) => l !== 'en');
  if (others.length > 0) parts.push(`Staff speak ${listText(p.languages.map((l) => LANGUAGE_NAMES[l]))}.`);
  if (p.acceptsOutOfState) parts.push('Accepts youth from other states through ICPC.');
  if (!p.active) parts.push('Not taking referrals at present.');
  return parts.join(' ');
}

// ---------- services ----------

const CATEGORY_LABELS: Record<ServiceCategory, string> = {
  csec_counseling: 'CSEC Counseling',
  survivor_mentoring: 'Survivor Mentoring',
  trauma_therapy: 'Trauma Therapy',
  substance_use_treatment: 'Adolescent Substance Use Treatment',
  mental_health: 'Youth Mental Health Clinic',
  medical: 'Adolescent Health Clinic',
  legal_advocacy: 'Youth Legal Advocacy',
  education: 'GED & Credit Recovery',
  family_therapy: 'Family Therapy',
  case_management: 'Case Management',
};

const CATEGORY_TEXT: Record<ServiceCategory, string> = {
  csec_counseling: 'Individual and group counseling for youth who have experienced commercial sexual exploitation, led by clinicians trained in trafficking-informed care.',
  survivor_mentoring: 'One-to-one mentoring by adult survivors of trafficking: weekly contact, crisis support and help staying connected to placement and school.',
  trauma_therapy: 'Evidence-based trauma therapy (TF-CBT, EMDR) for children and youth, with caregiver sessions.',
  substance_use_treatment: 'Outpatient and intensive outpatient substance-use treatment for adolescents, with family involvement and relapse prevention.',
  mental_health: 'Psychiatric evaluation, medication management and individual therapy for children and youth.',
  medical: 'Primary care, sexual and reproductive health, STI testing and follow-up after a forensic exam, in a youth-friendly clinic.',
  legal_advocacy: 'Legal advocacy: victim rights, vacatur and record sealing, immigration relief (T and U visas, SIJS) and court accompaniment.',
  education: 'GED classes, credit recovery and school enrolment support, with flexible hours for youth in placement.',
  family_therapy: 'Family therapy for youth and their caregivers or kin, including reunification and placement-stability work.',
  case_management: 'Intensive case management: benefits, ID documents, appointments, transition planning and warm hand-offs.',
};

const SERVICE_MIX: Record<Kind, [ServiceCategory, number][]> = {
  cpa: [['case_management', 4], ['family_therapy', 3], ['trauma_therapy', 3], ['mental_health', 1], ['education', 1]],
  rtc: [['mental_health', 3], ['substance_use_treatment', 2], ['trauma_therapy', 3], ['education', 2], ['medical', 1], ['family_therapy', 2]],
  shelter: [['case_management', 4], ['education', 2], ['legal_advocacy', 1], ['mental_health', 1], ['substance_use_treatment', 1], ['medical', 1]],
  csec: [['csec_counseling', 4], ['survivor_mentoring', 4], ['legal_advocacy', 2], ['trauma_therapy', 2], ['case_management', 2], ['medical', 1]],
  lgbtq: [['mental_health', 2], ['case_management', 3], ['education', 1], ['medical', 1], ['survivor_mentoring', 0.5]],
  maternity: [['medical', 3], ['education', 2], ['case_management', 2], ['family_therapy', 1]],
  behavioral: [['mental_health', 4], ['trauma_therapy', 4], ['substance_use_treatment', 3], ['family_therapy', 2], ['csec_counseling', 1]],
  legal: [['legal_advocacy', 6], ['case_management', 1]],
  medical: [['medical', 6], ['mental_health', 1], ['substance_use_treatment', 1]],
  education: [['education', 6], ['case_management', 1]],
};

const SERVICE_COUNTS: Record<Kind, [number, number]> = {
  cpa: [6, 9],
  rtc: [7, 11],
  shelter: [6, 9],
  csec: [10, 14],
  lgbtq: [6, 9],
  maternity: [6, 9],
  behavioral: [14, 20],
  legal: [10, 14],
  medical: [10, 14],
  education: [10, 14],
};

/** The kind of organisation that offers each category first (so every block has every category). */
const CATEGORY_HOME: Record<ServiceCategory, Kind> = {
  csec_counseling: 'csec',
  survivor_mentoring: 'csec',
  trauma_therapy: 'behavioral',
  substance_use_treatment: 'behavioral',
  mental_health: 'behavioral',
  medical: 'medical',
  legal_advocacy: 'legal',
  education: 'education',
  family_therapy: 'cpa',
  case_management: 'shelter',
};

const WAIT_DAYS: Record<ServiceCategory, [number, number]> = {
  csec_counseling: [0, 7],
  survivor_mentoring: [0, 14],
  trauma_therapy: [3, 45],
  substance_use_treatment: [1, 21],
  mental_health: [7, 60],
  medical: [0, 14],
  legal_advocacy: [0, 21],
  education: [0, 30],
  family_therapy: [5, 40],
  case_management: [0, 10],
};

function planServices(ctx: BlockContext, drafts: ProviderDraft[]): void {
  const { draw } = ctx;
  // One service of each category, cycling through the modalities, at the first fitting provider.
  SERVICE_CATEGORIES.forEach((category, i) => {
    const owner = drafts.find((d) => d.kind === CATEGORY_HOME[category])!;
    owner.services.push(makeService(ctx, owner, category, MODALITIES[i % MODALITIES.length]));
  });
  for (const d of drafts) {
    const [lo, hi] = SERVICE_COUNTS[d.kind];
    for (let n = draw.int(lo, hi); n > 0; n--) d.services.push(makeService(ctx, d, draw.weighted(SERVICE_MIX[d.kind]), undefined));
  }
}

function makeService(ctx: BlockContext, d: ProviderDraft, category: ServiceCategory, forcedModality: Modality | undefined): ServiceDraft {
  const { draw, now } = ctx;
  const modality: Modality =
    forcedModality ??
    (category === 'medical'
      ? draw.weighted<Modality>([['in_person', 0.85], ['both', 0.15]])
      : category === 'legal_advocacy' || category === 'case_management'
        ? draw.weighted<Modality>([['both', 0.6], ['in_person', 0.3], ['telehealth', 0.1]])
        : draw.weighted<Modality>([['in_person', 0.5], ['both', 0.3], ['telehealth', 0.2]]));
  const place = placeFor(draw, d, 0.7);
  const point = jitter(draw, place);

  const serviceArea: Service['serviceArea'] = { states: [], counties: [] };
  const radius = () => (place.tier === 'metro' ? draw.pick([10, 15, 20, 25, 30]) : place.tier === 'town' ? draw.pick([25, 40, 50]) : draw.pick([50, 75, 100]));
  const statewide = (): string[] => (d.reach.length > 1 && draw.chance(0.5) ? d.reach : [place.state]);
  if (modality === 'telehealth') {
    serviceArea.states = statewide();
  } else if (modality === 'both') {
    serviceArea.radiusMiles = radius();
    serviceArea.states = statewide();
  } else if (place.county && draw.chance(0.12)) {
    serviceArea.counties = [place.county];
  } else {
    serviceArea.radiusMiles = radius();
  }

  let genders: Gender[] = ALL_GENDERS;
  if (category === 'csec_counseling' || category === 'survivor_mentoring') {
    genders = draw.weighted<Gender[]>([[ALL_GENDERS, 0.6], [GIRLS_NB, 0.3], [BOYS, 0.1]]);
  } else if (category === 'medical' && d.kind === 'maternity') {
    genders = ['female', 'transgender_male', 'nonbinary'];
  }
  const minAge =
    category === 'education' ? draw.pick([14, 16]) : category === 'medical' ? draw.pick([0, 10, 12]) : category === 'survivor_mentoring' ? draw.pick([12, 13]) : draw.pick([5, 10, 12]);
  const maxAge = Math.max(minAge, draw.pick([17, 18, 21, 24]));

  const suffix =
    modality === 'telehealth' ? ` (Telehealth, ${serviceArea.states.map((s) => STATE_NAMES[s as DemoState]).join(' & ')})` : ` – ${place.city}`;
  const createdMs = now - draw.int(20, Math.max(21, Math.min(1500, Math.floor((now - d.createdMs) / DAY_MS) - 10))) * DAY_MS;
  const location: Service['location'] = {
    address: streetAddress(draw, draw.chance(0.5)),
    city: place.city,
    state: place.state,
    zip: place.zip,
    lat: point.lat,
    lon: point.lon,
    confidential: false,
  };
  if (place.county) location.county = place.county;

  const s: Service = {
    id: '',
    providerId: d.provider.id,
    name: `${d.root} ${CATEGORY_LABELS[category]}${suffix}`,
    category,
    location: orderLocation(location),
    serviceArea,
    modality,
    population: { minAge, maxAge, genders: ordered(genders, GENDERS) },
    languages: languagesFor(draw, place, 0.2, 2),
    active: !draw.chance(0.02),
    version: 1,
    createdAt: iso(createdMs),
    updatedAt: iso(createdMs + draw.next() * (now - createdMs)),
  };
  if (draw.chance(0.92)) {
    const [lo, hi] = WAIT_DAYS[category];
    s.waitDays = draw.int(lo, hi);
  }
  if (draw.chance(0.92)) s.openSlots = draw.chance(0.15) ? 0 : draw.int(1, category === 'education' || category === 'medical' ? 60 : 25);
  // Telehealth-only services accept interpreters more often.
  if (modality !== 'in_person' && draw.chance(0.05)) s.languages = ordered([...s.languages, draw.pick(LANGUAGES)], LANGUAGES);
  return { s, place, owner: d };
}

function describeService(sd: ServiceDraft): string {
  const s = sd.s;
  const parts = [CATEGORY_TEXT[s.category]];
  const who = s.population.genders.length === GENDERS.length ? 'youth of all genders' : listText(s.population.genders.map((g) => GENDER_WORDS[g]));
  parts.push(`For ${who}, ages ${s.population.minAge}–${s.population.maxAge}.`);
  if (s.modality === 'telehealth') parts.push(`By secure video anywhere in ${listText(s.serviceArea.states.map((st) => STATE_NAMES[st as DemoState]))}.`);
  else if (s.modality === 'both') parts.push(`In person within ${s.serviceArea.radiusMiles} miles of ${s.location.city}, or by video statewide.`);
  else if (s.serviceArea.counties.length > 0) parts.push(`Serves ${listText(s.serviceArea.counties)} ${s.location.state === 'LA' ? 'Parish' : 'County'}.`);
  else parts.push(`In person; serves families within ${s.serviceArea.radiusMiles} miles of ${s.location.city}.`);
  const others = s.languages.filter((l) => l !== 'en');
  if (others.length > 0) parts.push(`Also in ${listText(others.map((l) => LANGUAGE_NAMES[l]))}.`);
  if (s.openSlots === 0) parts.push('Waitlist only at present.');
  return parts.join(' ');
}

// ---------- coverage ----------

/**
 * Every vocabulary value appears in every block. The draws above make most of them likely; this
 * pass makes the rare ones certain, changing the most fitting program (descriptions are written
 * afterwards, so they stay true).
 */
function ensurePlacementCoverage(ctx: BlockContext, placements: PlacementDraft[]): void {
  const { draw, now } = ctx;
  const ps = placements.map((pd) => pd.p);
  const first = (pred: (p: Placement) => boolean) => ps.find(pred);

  for (const type of PLACEMENT_TYPES) if (!ps.some((p) => p.type === type)) throw new Error(`block ${ctx.block} has no ${type}`);

  if (!ps.some((p) => p.security === 'secure')) {
    const p = first((x) => x.type === 'residential_treatment' && !x.location.confidential && !x.specializations.includes('csec'))!;
    p.security = 'secure';
    p.runPrevention = true;
  }
  if (!ps.some((p) => p.security === 'staff_secure')) {
    const p = first((x) => x.type === 'residential_treatment' && x.security === 'open')!;
    p.security = 'staff_secure';
  }
  const addSpec = (p: Placement, spec: Specialization) => {
    p.specializations = ordered([...p.specializations, spec], SPECIALIZATIONS);
  };
  const specHome: Record<Specialization, PlacementType[]> = {
    csec: ['residential_treatment', 'group_home', 'therapeutic_foster_care'],
    trauma_informed: ['therapeutic_foster_care'],
    lgbtq_affirming: ['host_home', 'transitional_living'],
    substance_use: ['residential_treatment', 'group_home'],
    mental_health: ['residential_treatment'],
    developmental_disability: ['group_home', 'therapeutic_foster_care', 'foster_home'],
    pregnant_parenting: ['transitional_living', 'group_home'],
    survivor_mentor: ['residential_treatment', 'group_home'],
  };
  for (const spec of SPECIALIZATIONS) {
    if (ps.some((p) => p.specializations.includes(spec))) continue;
    const p = specHome[spec].map((t) => first((x) => x.type === t)).find((x) => x !== undefined)!;
    addSpec(p, spec);
  }
  for (const model of TRAUMA_MODELS) {
    if (ps.some((p) => p.traumaModels.includes(model))) continue;
    const p =
      model === 'my_life_my_choice'
        ? first((x) => x.specializations.includes('csec'))!
        : model === 'seeking_safety'
          ? (first((x) => x.specializations.includes('substance_use')) ?? first((x) => x.type === 'residential_treatment')!)
          : first((x) => x.specializations.includes('trauma_informed'))!;
    addSpec(p, 'trauma_informed');
    p.traumaModels = ordered([...p.traumaModels, model], TRAUMA_MODELS);
  }
  for (const level of MENTAL_HEALTH_LEVELS) {
    if (ps.some((p) => p.mentalHealthLevel === level)) continue;
    const type: PlacementType = level === 'residential' ? 'residential_treatment' : level === 'none' ? 'foster_home' : 'therapeutic_foster_care';
    first((x) => x.type === type)!.mentalHealthLevel = level;
  }
  for (const gender of GENDERS) {
    if (ps.some((p) => p.population.genders.includes(gender))) continue;
    const p = first((x) => x.type === 'emergency_shelter')!;
    p.population.genders = ordered([...p.population.genders, gender], GENDERS);
  }
  for (const exclusion of EXCLUSIONS) {
    if (ps.some((p) => p.exclusions.includes(exclusion))) continue;
    const p = first((x) => x.type === 'foster_home')!;
    p.exclusions = ordered([...p.exclusions, exclusion], EXCLUSIONS);
  }
  for (const language of LANGUAGES) {
    if (ps.some((p) => p.languages.includes(language))) continue;
    // Where that language is spoken locally; otherwise (and for ASL) any program in a metro area.
    const pd =
      placements.find((x) => x.place.localLanguages.includes(language) && !x.p.languages.includes(language)) ??
      placements.find((x) => x.place.tier === 'metro' && x.p.type !== 'foster_home') ??
      placements[0]!;
    pd.p.languages = ordered([...pd.p.languages, language], LANGUAGES);
  }
  if (!ps.some((p) => p.population.acceptsPregnant && p.population.acceptsParenting)) {
    const p = first((x) => x.specializations.includes('pregnant_parenting'))!;
    p.population.acceptsPregnant = true;
    p.population.acceptsParenting = true;
  }
  // A few inactive programs and a few expired licences in every block.
  const inactive = ps.filter((p) => !p.active).length;
  const fosterHomes = draw.shuffle(ps.filter((p) => p.type === 'foster_home' && p.active));
  for (let i = inactive; i < 3; i++) fosterHomes[i - inactive]!.active = false;
  const expired = ps.filter((p) => Date.parse(p.license.expires) < now).length;
  const candidates = draw.shuffle(ps.filter((p) => Date.parse(p.license.expires) >= now && !p.location.confidential));
  for (let i = expired; i < 3; i++) candidates[i - expired]!.license.expires = isoDate(now - draw.int(3, 240) * DAY_MS);
}

function ensureServiceCoverage(ctx: BlockContext, services: ServiceDraft[]): void {
  const ss = services.map((sd) => sd.s);
  for (const category of SERVICE_CATEGORIES) if (!ss.some((s) => s.category === category)) throw new Error(`block ${ctx.block} has no ${category} service`);
  for (const modality of MODALITIES) if (!ss.some((s) => s.modality === modality)) throw new Error(`block ${ctx.block} has no ${modality} service`);
  for (const language of LANGUAGES) {
    if (ss.some((s) => s.languages.includes(language))) continue;
    const sd =
      services.find((x) => x.place.localLanguages.includes(language) && !x.s.languages.includes(language)) ??
      services.find((x) => x.s.modality !== 'in_person') ??
      services[0]!;
    sd.s.languages = ordered([...sd.s.languages, language], LANGUAGES);
  }
}

// ---------- create bodies (what a client would have sent) ----------

/** The create body a client would send for this provider (server fields stripped); parse it with CreateProviderBody. */
export function providerCreateBody(p: Provider): Omit<Provider, 'id' | 'version' | 'createdAt' | 'updatedAt'> {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...body } = p;
  return body;
}

/** The create body for this placement: no server fields, capacity as a report (absent if never reported). */
export function placementCreateBody(
  p: Placement,
): Omit<Placement, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'capacity'> & { capacity?: { total: number; occupied: number } } {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, capacity, ...body } = p;
  return capacity.updatedAt === null && capacity.confirmedAt === null ? body : { ...body, capacity: { total: capacity.total, occupied: capacity.occupied } };
}

export function serviceCreateBody(s: Service): Omit<Service, 'id' | 'version' | 'createdAt' | 'updatedAt'> {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...body } = s;
  return body;
}
