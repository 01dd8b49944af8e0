import type { YouthProfile } from '../matching/youth';

/**
 * The match explanation a referral keeps for its placement, frozen when the referral is made (the
 * ranking may change later; the provider should see why this youth was sent to them). Never holds
 * the youth's location or keep-away areas.
 */
export interface MatchSnapshot {
  matchId: string;
  policyVersion: number;
  matchedAt: string;
  /** 1 = the best match for the youth. */
  rank: number;
  score: number;
  components: Record<string, number>;
  reasons: string[];
  summary: string;
  /** From the youth to the placement, rounded as the match reported it. */
  distanceMiles: number;
  /** Services near the placement that cover needs it does not (as the match reported them). */
  wraparound: unknown[];
}

/** The youth's details as stored beside a referral (and purged after the retention window). */
export interface ReferralYouthDetails {
  youth: YouthProfile;
  /** The caseworker's note to the provider. */
  note: string | null;
  match: MatchSnapshot | null;
  /** The provider's note when declining. */
  declineNote: string | null;
  /** The referring side's note when withdrawing. */
  withdrawNote: string | null;
}

/**
 * The minimum a provider's staff need to decide (DESIGN.md §6): who the youth is in care terms,
 * never where the youth is or whom they must be kept from. The youth's location, keep-away areas,
 * custody state, case reference and preferences are left out by construction: this is a list of
 * what goes in, not of what is removed, so a field added to the profile later stays out.
 */
export interface ProviderPacket {
  age: number;
  gender: YouthProfile['gender'];
  needs: YouthProfile['needs'];
  mentalHealthLevel: NonNullable<YouthProfile['mentalHealthLevel']> | null;
  runRisk: NonNullable<YouthProfile['runRisk']> | null;
  languages: YouthProfile['languages'];
  behaviors: YouthProfile['behaviors'];
  note: string | null;
  match: MatchSnapshot | null;
  declineNote: string | null;
}

export function providerPacket(details: ReferralYouthDetails): ProviderPacket {
  const { youth } = details;
  return {
    age: youth.age,
    gender: youth.gender,
    needs: [...youth.needs],
    mentalHealthLevel: youth.mentalHealthLevel ?? null,
    runRisk: youth.runRisk ?? null,
    languages: [...youth.languages],
    behaviors: [...youth.behaviors],
    note: details.note,
    match: details.match,
    declineNote: details.declineNote,
  };
}

/** What the referring side (caseworker of the agency, coordinator) sees: everything they sent. */
export interface ReferrerYouthView extends ReferralYouthDetails {
  packet: 'full';
}

export function referrerYouthView(details: ReferralYouthDetails): ReferrerYouthView {
  return { packet: 'full', ...details };
}
