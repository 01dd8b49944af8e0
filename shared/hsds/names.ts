export { LANGUAGE_NAMES } from '../schemas/vocabulary';
import type { Language, StateCode } from '../schemas/vocabulary';

/** Names of the states and territories Harbor accepts, for HSDS text fields and for reading 211 data. */
export const STATE_NAMES: Record<StateCode, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  PR: 'Puerto Rico', GU: 'Guam', VI: 'U.S. Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
};


/** ISO 639-2/3 codes a 211 may send for the same languages. */
export const LANGUAGE_ALIASES: Record<string, Language> = {
  eng: 'en',
  spa: 'es',
  zho: 'zh',
  chi: 'zh',
  cmn: 'zh',
  yue: 'zh',
  vie: 'vi',
  tgl: 'tl',
  fil: 'tl',
  ara: 'ar',
  kor: 'ko',
  rus: 'ru',
  fra: 'fr',
  fre: 'fr',
  hat: 'ht',
  por: 'pt',
  som: 'so',
  sgn: 'ase',
  asl: 'ase',
};
