/**
 * The demo users: one or more of every role, scoped to real demo data. `npm run token -- --demo
 * <name>` signs a token for one of them, and the local server's banner lists them.
 *
 * The provider ids are those `buildDemoDirectory()` gives every provider of block 0, whose kind and
 * home city are fixed (scripts/seed/demo-directory.ts, BLOCK0_PLAN), so they hold for any seed and
 * any scale; demo-directory.test.ts checks that each one exists and owns what is said here.
 */
export interface DemoUser {
  sub: string;
  role: 'admin' | 'coordinator' | 'caseworker' | 'provider';
  providerId?: string;
  agencyId?: string;
  /** Coordinators: comma-separated state codes, e.g. `TX,OK,LA`. */
  jurisdiction?: string;
  description: string;
}

export const DEMO_USERS: Record<string, DemoUser> = {
  ada: {
    sub: 'demo-ada',
    role: 'admin',
    description: 'Ada, Harbor administrator: manages providers and reads the audit trail, all states',
  },
  cora: {
    sub: 'demo-cora',
    role: 'coordinator',
    jurisdiction: 'TX',
    description: 'Cora, placement coordinator for Texas',
  },
  otto: {
    sub: 'demo-otto',
    role: 'coordinator',
    jurisdiction: 'OK',
    description: 'Otto, placement coordinator for Oklahoma',
  },
  rhea: {
    sub: 'demo-rhea',
    role: 'coordinator',
    jurisdiction: 'TX,OK,LA',
    description: 'Rhea, regional anti-trafficking coordinator for Texas, Oklahoma and Louisiana',
  },
  cal: {
    sub: 'demo-cal',
    role: 'caseworker',
    agencyId: 'agency-travis-cps',
    description: 'Cal, CPS caseworker in Travis County (Austin, TX)',
  },
  tess: {
    sub: 'demo-tess',
    role: 'caseworker',
    agencyId: 'agency-tulsa-dhs',
    description: 'Tess, child welfare caseworker at Tulsa County DHS (OK)',
  },
  finn: {
    sub: 'demo-finn',
    role: 'provider',
    providerId: 'prv-0001',
    description: 'Finn, foster care intake at prv-0001, an Austin-based child-placing agency (foster and therapeutic foster homes)',
  },
  pia: {
    sub: 'demo-pia',
    role: 'provider',
    providerId: 'prv-0002',
    description: 'Pia, program director at prv-0002, a Houston-based anti-trafficking organisation that runs a confidential safe house',
  },
  sol: {
    sub: 'demo-sol',
    role: 'provider',
    providerId: 'prv-0003',
    description: 'Sol, admissions at prv-0003, a San Antonio-based residential treatment operator with a CSEC-specialised unit',
  },
  olive: {
    sub: 'demo-olive',
    role: 'provider',
    providerId: 'prv-0004',
    description: 'Olive, shelter supervisor at prv-0004, a Tulsa-based youth shelter organisation',
  },
};
