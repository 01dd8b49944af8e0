/**
 * Real places for the demo directory: a curated table of cities (with their county or parish, area
 * code and ZIP codes that lie in that county), more real ZIPs from the `zipcodes` dataset for the
 * larger scales, and a small jitter that keeps a point near its ZIP centroid and inside its state.
 *
 * City, state and coordinates always come from the dataset, so `lookupZip(zip)` agrees with every
 * generated location; the county comes from the table below (the dataset has none), and is left
 * out for the extra ZIPs rather than guessed.
 */
import zipcodes from 'zipcodes';
import type { Point } from '../../shared/domain/geo';
import { distanceMiles } from '../../shared/domain/geo';
import type { Language } from '../../shared/schemas/vocabulary';
import type { Draw } from './prng';

export type DemoState = 'TX' | 'OK' | 'LA' | 'NM' | 'AR' | 'CA';
export type Tier = 'metro' | 'town' | 'rural';

export interface Place {
  zip: string;
  city: string;
  state: DemoState;
  county?: string;
  lat: number;
  lon: number;
  areaCode: string;
  tier: Tier;
  /** Languages other than English and Spanish with a sizeable community here. */
  localLanguages: Language[];
  /** In the curated table (true) or an extra ZIP from the dataset (false). */
  curated: boolean;
}

export const STATE_NAMES: Record<DemoState, string> = {
  TX: 'Texas',
  OK: 'Oklahoma',
  LA: 'Louisiana',
  NM: 'New Mexico',
  AR: 'Arkansas',
  CA: 'California',
};

export const DEMO_STATES = Object.keys(STATE_NAMES) as DemoState[];

/**
 * city | state | county (parish in LA) | area code | ZIPs inside that county | tier | local languages.
 * ZIPs were picked from the middle of each city so the county holds for the whole ZIP.
 */
const CITY_TABLE = `
Austin|TX|Travis|512|78701 78702 78704 78723 78741 78745 78751 78753|metro|vi zh ko ar
Houston|TX|Harris|713|77002 77004 77006 77008 77019 77026 77036 77081 77092|metro|vi zh ar tl fr ko ru pt
Dallas|TX|Dallas|214|75201 75203 75206 75208 75215 75216 75228 75231|metro|vi ko ar so zh
San Antonio|TX|Bexar|210|78201 78205 78207 78210 78217 78228 78237|metro|vi tl ko
El Paso|TX|El Paso|915|79902 79903 79904 79924 79925 79936|metro|
Fort Worth|TX|Tarrant|817|76102 76104 76105 76110 76116 76119|metro|vi ar so
Arlington|TX|Tarrant|817|76010 76011 76013|metro|vi
Garland|TX|Dallas|972|75040 75041 75042|metro|vi
Plano|TX|Collin|972|75023 75074 75075|metro|zh ko
Lubbock|TX|Lubbock|806|79401 79403 79410 79412 79415|metro|
Amarillo|TX|Potter|806|79101 79107|town|vi so
Corpus Christi|TX|Nueces|361|78401 78404 78405 78411 78415|metro|
Tyler|TX|Smith|903|75701 75702 75703|town|
Waco|TX|McLennan|254|76701 76704 76706 76707|town|
Brownsville|TX|Cameron|956|78520 78521 78526|town|
Harlingen|TX|Cameron|956|78550 78552|town|
Laredo|TX|Webb|956|78041 78043 78045|town|
Edinburg|TX|Hidalgo|956|78539 78541|town|
Pharr|TX|Hidalgo|956|78577|town|
Beaumont|TX|Jefferson|409|77701 77702 77703 77705|town|vi
Galveston|TX|Galveston|409|77550 77551|town|
Conroe|TX|Montgomery|936|77301 77304|town|
Abilene|TX|Taylor|325|79602 79605|town|
Midland|TX|Midland|432|79701 79703 79705 79707|town|
Odessa|TX|Ector|432|79761 79762 79763|town|
Killeen|TX|Bell|254|76541 76542 76543|town|ko
Temple|TX|Bell|254|76501 76502 76504|town|
Bryan|TX|Brazos|979|77801 77802 77803|town|
Denton|TX|Denton|940|76201 76205|town|
San Marcos|TX|Hays|512|78666|town|
Round Rock|TX|Williamson|512|78664 78681|town|
New Braunfels|TX|Comal|830|78130|town|
Texarkana|TX|Bowie|903|75501 75503|town|
Wichita Falls|TX|Wichita|940|76301 76302 76308 76309|town|
San Angelo|TX|Tom Green|325|76901 76903 76904|town|
Victoria|TX|Victoria|361|77901 77904|town|
Longview|TX|Gregg|903|75601 75604 75605|town|
Sherman|TX|Grayson|903|75090 75092|town|
Nacogdoches|TX|Nacogdoches|936|75961 75965|rural|
Lufkin|TX|Angelina|936|75901 75904|rural|
Huntsville|TX|Walker|936|77340|rural|
Palestine|TX|Anderson|903|75801 75803|rural|
Paris|TX|Lamar|903|75460|rural|
Marshall|TX|Harrison|903|75670|rural|
Kerrville|TX|Kerr|830|78028|rural|
Uvalde|TX|Uvalde|830|78801|rural|
Del Rio|TX|Val Verde|830|78840|rural|
Eagle Pass|TX|Maverick|830|78852|rural|
Alpine|TX|Brewster|432|79830|rural|
Fort Stockton|TX|Pecos|432|79735|rural|
Pecos|TX|Reeves|432|79772|rural|
Big Spring|TX|Howard|432|79720|rural|
Plainview|TX|Hale|806|79072|rural|
Kingsville|TX|Kleberg|361|78363|rural|
Oklahoma City|OK|Oklahoma|405|73102 73105 73106 73107 73111 73118 73119 73129|metro|vi zh ar
Edmond|OK|Oklahoma|405|73003 73013 73034|town|
Tulsa|OK|Tulsa|918|74103 74104 74105 74106 74110 74112 74115 74135|metro|vi ar ko
Broken Arrow|OK|Tulsa|918|74012|town|
Norman|OK|Cleveland|405|73069 73071 73072|town|zh
Lawton|OK|Comanche|580|73501 73505 73507|town|ko
Muskogee|OK|Muskogee|918|74401 74403|town|
Enid|OK|Garfield|580|73701 73703|town|
Stillwater|OK|Payne|405|74074 74075|town|
Shawnee|OK|Pottawatomie|405|74801 74804|town|
Bartlesville|OK|Washington|918|74003 74006|town|
Claremore|OK|Rogers|918|74017|town|
Ardmore|OK|Carter|580|73401|rural|
Durant|OK|Bryan|580|74701|rural|
Tahlequah|OK|Cherokee|918|74464|rural|
Guymon|OK|Texas|580|73942|rural|
Woodward|OK|Woodward|580|73801|rural|
Ponca City|OK|Kay|580|74601 74604|rural|
Altus|OK|Jackson|580|73521|rural|
Okmulgee|OK|Okmulgee|918|74447|rural|
Duncan|OK|Stephens|580|73533|rural|
Chickasha|OK|Grady|405|73018|rural|
Idabel|OK|McCurtain|580|74745|rural|
Elk City|OK|Beckham|580|73644|rural|
Clinton|OK|Custer|580|73601|rural|
Poteau|OK|Le Flore|918|74953|rural|
Ada|OK|Pontotoc|580|74820|rural|
New Orleans|LA|Orleans|504|70112 70113 70115 70116 70117 70119 70122 70125 70126|metro|vi fr ht pt
Metairie|LA|Jefferson|504|70001 70002 70003 70006|metro|vi ht
Kenner|LA|Jefferson|504|70062 70065|metro|
Baton Rouge|LA|East Baton Rouge|225|70802 70805 70806 70808 70815|metro|vi fr ar
Shreveport|LA|Caddo|318|71101 71103 71104 71105 71106 71108|metro|
Bossier City|LA|Bossier|318|71111 71112|town|
Lafayette|LA|Lafayette|337|70501 70503 70506|metro|fr vi
Lake Charles|LA|Calcasieu|337|70601 70605 70607|town|fr
Monroe|LA|Ouachita|318|71201 71202 71203|town|
Alexandria|LA|Rapides|318|71301 71302 71303|town|
Houma|LA|Terrebonne|985|70360 70363 70364|town|fr vi
Hammond|LA|Tangipahoa|985|70401 70403|town|
Slidell|LA|St. Tammany|985|70458 70460 70461|town|
Thibodaux|LA|Lafourche|985|70301|rural|fr
Opelousas|LA|St. Landry|337|70570|rural|fr
New Iberia|LA|Iberia|337|70560|rural|fr
Natchitoches|LA|Natchitoches|318|71457|rural|
Ruston|LA|Lincoln|318|71270|rural|
Leesville|LA|Vernon|337|71446|rural|
Albuquerque|NM|Bernalillo|505|87102 87104 87105 87106 87108 87110 87112 87121 87123|metro|vi zh ar
Rio Rancho|NM|Sandoval|505|87124 87144|town|
Las Cruces|NM|Doña Ana|575|88001 88005 88007 88011|metro|
Santa Fe|NM|Santa Fe|505|87501 87505 87507|town|
Farmington|NM|San Juan|505|87401 87402|town|
Roswell|NM|Chaves|575|88201 88203|rural|
Gallup|NM|McKinley|505|87301|rural|
Clovis|NM|Curry|575|88101|rural|
Hobbs|NM|Lea|575|88240|rural|
Carlsbad|NM|Eddy|575|88220|rural|
Alamogordo|NM|Otero|575|88310|rural|
Deming|NM|Luna|575|88030|rural|
Las Vegas|NM|San Miguel|505|87701|rural|
Taos|NM|Taos|575|87571|rural|
Silver City|NM|Grant|575|88061|rural|
Socorro|NM|Socorro|575|87801|rural|
Grants|NM|Cibola|505|87020|rural|
Portales|NM|Roosevelt|575|88130|rural|
Little Rock|AR|Pulaski|501|72201 72202 72204 72205 72206 72209|metro|
North Little Rock|AR|Pulaski|501|72114 72116 72118|metro|
Fort Smith|AR|Sebastian|479|72901 72903 72904|town|vi
Fayetteville|AR|Washington|479|72701 72703 72704|town|
Rogers|AR|Benton|479|72756 72758|town|
Bentonville|AR|Benton|479|72712|town|
Jonesboro|AR|Craighead|870|72401 72404|town|
Pine Bluff|AR|Jefferson|870|71601 71603|town|
Conway|AR|Faulkner|501|72032 72034|town|
Hot Springs National Park|AR|Garland|501|71901 71913|town|
Texarkana|AR|Miller|870|71854|town|
El Dorado|AR|Union|870|71730|rural|
Russellville|AR|Pope|479|72801 72802|rural|
Los Angeles|CA|Los Angeles|213|90011 90012 90017 90037 90044|metro|ko tl zh vi ru ar
Long Beach|CA|Los Angeles|562|90802 90804 90813|metro|tl vi
San Diego|CA|San Diego|619|92101 92102 92105 92113|metro|tl vi ar so
Fresno|CA|Fresno|559|93701 93702 93706 93721|metro|
Sacramento|CA|Sacramento|916|95811 95814 95815 95817 95820 95823|metro|ru vi zh
Oakland|CA|Alameda|510|94601 94603 94607 94612 94621|metro|zh vi
Bakersfield|CA|Kern|661|93301 93305 93307|metro|
Riverside|CA|Riverside|951|92501 92503 92507|metro|
San Bernardino|CA|San Bernardino|909|92401 92404 92410|metro|
Stockton|CA|San Joaquin|209|95202 95203 95205|metro|vi tl
`;

export interface CityRow {
  city: string;
  state: DemoState;
  county: string;
  areaCode: string;
  zips: string[];
  tier: Tier;
  localLanguages: Language[];
}

export const CITY_ROWS: readonly CityRow[] = CITY_TABLE.trim()
  .split('\n')
  .map((line) => {
    const [city, state, county, areaCode, zips, tier, langs] = line.split('|') as [string, DemoState, string, string, string, Tier, string];
    return {
      city,
      state,
      county,
      areaCode,
      zips: zips.split(' '),
      tier,
      localLanguages: (langs ?? '').split(' ').filter((l) => l.length > 0) as Language[],
    };
  });

const cityKey = (city: string, state: string) => `${city}|${state}`;

let curatedCache: { all: Place[]; byCity: Map<string, Place[]>; byState: Map<DemoState, Place[]> } | undefined;

/** Every curated ZIP as a place (city, state and coordinates from the dataset). */
export function curatedPlaces() {
  if (curatedCache) return curatedCache;
  const all: Place[] = [];
  const byCity = new Map<string, Place[]>();
  const byState = new Map<DemoState, Place[]>();
  for (const row of CITY_ROWS) {
    for (const zip of row.zips) {
      const hit = zipcodes.codes[zip];
      if (!hit || hit.state !== row.state) throw new Error(`curated ZIP ${zip} is not in ${row.state} in the zipcodes dataset`);
      const place: Place = {
        zip,
        city: hit.city,
        state: row.state,
        county: row.county,
        lat: hit.latitude,
        lon: hit.longitude,
        areaCode: row.areaCode,
        tier: row.tier,
        localLanguages: row.localLanguages,
        curated: true,
      };
      all.push(place);
      const key = cityKey(row.city, row.state);
      byCity.set(key, [...(byCity.get(key) ?? []), place]);
      byState.set(row.state, [...(byState.get(row.state) ?? []), place]);
    }
  }
  curatedCache = { all, byCity, byState };
  return curatedCache;
}

/** The curated ZIPs of one city; throws for a city not in the table. */
export function placesOf(city: string, state: DemoState): Place[] {
  const places = curatedPlaces().byCity.get(cityKey(city, state));
  if (!places) throw new Error(`${city}, ${state} is not in the city table`);
  return places;
}

// ---------- the whole dataset: extra ZIPs and a spatial grid ----------

interface ZipPoint {
  zip: string;
  state: string;
  lat: number;
  lon: number;
}

const GRID_DEG = 0.1;
const gridKey = (lat: number, lon: number) => `${Math.floor(lat / GRID_DEG)}:${Math.floor(lon / GRID_DEG)}`;

let gridCache: Map<string, ZipPoint[]> | undefined;
let extraCache: Map<DemoState, Place[]> | undefined;

/** All US ZIP centroids of the dataset, bucketed by 0.1° cells. */
function zipGrid(): Map<string, ZipPoint[]> {
  if (gridCache) return gridCache;
  const grid = new Map<string, ZipPoint[]>();
  for (const z of Object.values(zipcodes.codes)) {
    if (z.country !== 'US' || !z.latitude || !z.longitude) continue;
    const key = gridKey(z.latitude, z.longitude);
    const bucket = grid.get(key);
    const point = { zip: z.zip, state: z.state, lat: z.latitude, lon: z.longitude };
    if (bucket) bucket.push(point);
    else grid.set(key, [point]);
  }
  gridCache = grid;
  return grid;
}

function pointsAround(lat: number, lon: number, cells: number): ZipPoint[] {
  const grid = zipGrid();
  const i0 = Math.floor(lat / GRID_DEG);
  const j0 = Math.floor(lon / GRID_DEG);
  const out: ZipPoint[] = [];
  for (let i = i0 - cells; i <= i0 + cells; i++) {
    for (let j = j0 - cells; j <= j0 + cells; j++) {
      const bucket = grid.get(`${i}:${j}`);
      if (bucket) out.push(...bucket);
    }
  }
  return out;
}

/** The state of the dataset ZIP centroid nearest to the point (searched within ~15 miles), if any. */
export function nearestZipState(point: Point): string | undefined {
  return nearestAmong(pointsAround(point.lat, point.lon, 3), point)?.state;
}

/** Nearest by a flat-earth approximation: exact enough to rank points a few miles apart. */
function nearestAmong(candidates: readonly ZipPoint[], point: Point): ZipPoint | undefined {
  const k = Math.cos((point.lat * Math.PI) / 180) ** 2;
  let best: ZipPoint | undefined;
  let bestD = Infinity;
  for (const z of candidates) {
    const dLat = z.lat - point.lat;
    const dLon = z.lon - point.lon;
    const d = dLat * dLat + k * dLon * dLon;
    if (d < bestD) {
      bestD = d;
      best = z;
    }
  }
  return best;
}

/**
 * Real ZIPs of a state beyond the curated table, for the larger scales: US entries with
 * coordinates, skipping ZIPs that share their centroid with a lower-numbered ZIP (PO-box and
 * single-building ZIPs usually do). No county: the dataset has none and we do not guess.
 */
export function extraPlaces(state: DemoState): Place[] {
  if (!extraCache) {
    const curatedZips = new Set(curatedPlaces().all.map((p) => p.zip));
    const seenCoords = new Set<string>();
    const byState = new Map<DemoState, Place[]>();
    const entries = Object.values(zipcodes.codes)
      .filter((z) => z.country === 'US' && z.latitude && z.longitude && (DEMO_STATES as string[]).includes(z.state))
      .sort((a, b) => a.zip.localeCompare(b.zip));
    for (const z of entries) {
      const coords = `${z.latitude},${z.longitude}`;
      if (seenCoords.has(coords)) continue;
      seenCoords.add(coords);
      if (curatedZips.has(z.zip)) continue;
      const st = z.state as DemoState;
      const nearest = nearestCurated(st, { lat: z.latitude, lon: z.longitude });
      const place: Place = {
        zip: z.zip,
        city: z.city,
        state: st,
        lat: z.latitude,
        lon: z.longitude,
        areaCode: nearest.areaCode,
        tier: 'rural',
        localLanguages: [],
        curated: false,
      };
      byState.set(st, [...(byState.get(st) ?? []), place]);
    }
    extraCache = byState;
  }
  return extraCache.get(state) ?? [];
}

function nearestCurated(state: DemoState, point: Point): Place {
  let best: Place | undefined;
  let bestMiles = Infinity;
  for (const p of curatedPlaces().byState.get(state) ?? []) {
    const d = distanceMiles(point, p);
    if (d < bestMiles) {
      bestMiles = d;
      best = p;
    }
  }
  if (!best) throw new Error(`no curated place in ${state}`);
  return best;
}

/** Curated places of `state` within `miles` of `point`, nearest first. */
export function curatedNear(state: DemoState, point: Point, miles: number): Place[] {
  return (curatedPlaces().byState.get(state) ?? [])
    .map((p) => ({ p, d: distanceMiles(point, p) }))
    .filter((x) => x.d <= miles)
    .sort((a, b) => a.d - b.d)
    .map((x) => x.p);
}

interface Surroundings {
  /** Dataset ZIP centroids of the same state within 7 miles (not at the place's exact spot). */
  neighbours: ZipPoint[];
  /** Every centroid that can be the nearest one to a point within 3 miles of the place. */
  candidates: ZipPoint[];
}

const surroundingsCache = new Map<string, Surroundings>();

function surroundings(place: Place): Surroundings {
  const cached = surroundingsCache.get(place.zip);
  if (cached) return cached;
  const candidates = pointsAround(place.lat, place.lon, 3);
  const neighbours = candidates.filter(
    (z) => z.state === place.state && (z.lat !== place.lat || z.lon !== place.lon) && distanceMiles(place, z) <= 7,
  );
  const found = { neighbours, candidates };
  surroundingsCache.set(place.zip, found);
  return found;
}

/** At most this far (miles) from the ZIP centroid. */
export const MAX_JITTER_MILES = 3;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * A point near the ZIP centroid, so several programs in one ZIP do not sit on top of each other:
 * part of the way (at most 40 %) towards a neighbouring centroid of the same state, plus a wiggle
 * of at most 0.15 mile; with no neighbour, up to 0.75 mile in any direction. Moving towards a
 * same-state centroid keeps the point on land and in the state; the result is also checked
 * against the nearest dataset centroid, and pulled back towards the centroid if that fails.
 */
export function jitter(draw: Draw, place: Place): Point {
  const { neighbours, candidates } = surroundings(place);
  const milesPerDegLat = 69.0;
  const milesPerDegLon = 69.172 * Math.cos((place.lat * Math.PI) / 180);
  let shrink = 1;
  for (let attempt = 0; attempt < 4; attempt++, shrink /= 2) {
    let lat = place.lat;
    let lon = place.lon;
    if (neighbours.length > 0) {
      const n = draw.pick(neighbours);
      const t = draw.real(0.05, 0.4) * shrink;
      lat += t * (n.lat - place.lat);
      lon += t * (n.lon - place.lon);
    } else {
      const r = draw.real(0.1, 0.75) * shrink;
      const a = draw.real(0, 2 * Math.PI);
      lat += (r * Math.sin(a)) / milesPerDegLat;
      lon += (r * Math.cos(a)) / milesPerDegLon;
    }
    const w = draw.real(0, 0.15) * shrink;
    const b = draw.real(0, 2 * Math.PI);
    lat += (w * Math.sin(b)) / milesPerDegLat;
    lon += (w * Math.cos(b)) / milesPerDegLon;
    const point = { lat: round6(lat), lon: round6(lon) };
    if (distanceMiles(place, point) < MAX_JITTER_MILES && nearestAmong(candidates, point)?.state === place.state) return point;
  }
  return { lat: place.lat, lon: place.lon };
}
