/**
 * Word lists for the demo directory's names, people and streets. Invented combinations of common
 * words; none is meant to be (or to imitate) a real organisation's name or mark.
 */
export const ROOT_FIRST = [
  'Cedar', 'Live Oak', 'Pecan', 'Red River', 'Prairie', 'Magnolia', 'Cypress', 'Mesa', 'Redbud', 'Cottonwood',
  'Mesquite', 'Juniper', 'Willow', 'Aspen', 'Sage', 'Dogwood', 'Blue Heron', 'Meadowlark', 'Sunflower', 'Bluebonnet',
  'Sandstone', 'Larkspur', 'Hackberry', 'Sweetgum', 'Pinon', 'Yucca', 'Bur Oak', 'Sycamore', 'Persimmon', 'Wild Plum',
];

export const ROOT_SECOND = ['Ridge', 'Creek', 'Hollow', 'Springs', 'Crossing', 'Grove', 'Bend', 'Point', 'Hill', 'Valley', 'Trail', 'Meadow', 'Landing', 'Glen'];

/** Single-word roots that read as a place of safety. */
export const ROOT_SINGLE = [
  'Lantern', 'Beacon', 'Anchor', 'Kindred', 'North Star', 'Morning Star', 'Open Door', 'Firefly', 'Hearthstone', 'Safe Harbor',
  'Hope Harbor', 'Bright Path', 'Dayspring', 'Wayfinder', 'Keystone', 'Clearwater', 'Stillwater', 'Evergreen', 'Daybreak', 'Compass Rose',
];

/** Spanish roots, used more in border towns, New Mexico and California. */
export const ROOT_SPANISH = [
  'Casa Esperanza', 'Nueva Luz', 'Puerta Abierta', 'Camino Claro', 'Sol Naciente', 'Buen Camino', 'Raíces', 'Alas Nuevas',
  'Corazón Valiente', 'Nuevo Amanecer', 'La Querencia', 'Mariposa', 'Casa Serena', 'Luz del Valle', 'Río Sereno',
];

export const ORG_NOUNS = {
  cpa: ['Family Services', 'Foster Care Network', "Children's Alliance", 'Child & Family Partners', 'Foster Family Agency'],
  rtc: ['Treatment Center', 'Youth Behavioral Health', 'Academy', "Children's Campus", 'Youth Ranch'],
  shelter: ['Youth Shelter', 'Youth Services', 'Youth Crisis Center', 'Youth & Family Center', 'Runaway & Homeless Youth Services'],
  csec: ['Restoration Collective', 'Survivor Services', 'Survivor Advocacy Network', 'Youth Recovery Collaborative', 'Trafficking Recovery Network'],
  lgbtq: ['Pride Youth Housing', 'Rainbow Host Homes', 'Affirming Homes Collective', 'Q+ Youth Alliance'],
  maternity: ['Young Mothers Program', 'Maternity & Parenting Homes', 'Teen Parent Services'],
  behavioral: ['Counseling Center', 'Behavioral Health', 'Wellness Clinic', 'Trauma Recovery Center', 'Youth Counseling Services'],
  legal: ["Children's Legal Advocacy Project", 'Legal Aid for Youth', 'Youth Justice Advocates'],
  medical: ['Adolescent Health', 'Community Health Clinic', 'Youth Health Center'],
  education: ['Learning Center', 'Education Partners', 'GED Academy'],
} as const;

export const SAFE_HOUSE_NAMES = [
  'Lantern House', 'Willow House', 'Morning Star House', 'Still Waters House', 'Bright Path House', 'Dayspring House',
  'Cardinal House', 'Wren House', 'Meadowlark House', 'Juniper House', 'Hummingbird House', 'Sparrow House', 'Dove House',
];

export const FIRST_NAMES = [
  'Maria', 'James', 'Angela', 'Luis', 'Tanya', 'Robert', 'Keisha', 'Daniel', 'Rosa', 'Michael', 'Linh', 'Carlos', 'Denise',
  'Andre', 'Priya', 'Sarah', 'Marcus', 'Elena', 'Thomas', 'Nadia', 'Jorge', 'Brenda', 'Hannah', 'Omar', 'Gloria', 'Kevin',
  'Yesenia', 'Patrick', 'Monique', 'Samuel', 'Grace', 'Victor', 'Teresa', 'Darnell', 'Mai', 'Rachel', 'Esteban', 'Wanda',
];

export const LAST_NAMES = [
  'Garcia', 'Johnson', 'Nguyen', 'Martinez', 'Williams', 'Brown', 'Hernandez', 'Davis', 'Lopez', 'Wilson', 'Tran', 'Anderson',
  'Thomas', 'Moore', 'Jackson', 'Ramirez', 'Harris', 'Robinson', 'Clark', 'Lewis', 'Walker', 'Gonzalez', 'Young', 'Baker',
  'Reyes', 'Mitchell', 'Begay', 'Tsosie', 'Broussard', 'Thibodeaux', 'Landry', 'Okafor', 'Haile', 'Castillo', 'Chavez', 'Le',
];

export const STREETS = [
  'Main', 'Oak', 'Elm', 'Pecan', 'Mesquite', 'Church', 'Magnolia', 'Cedar', 'Walnut', 'Willow', 'Highland', 'Park', 'Lake',
  'Hillcrest', 'Sunset', 'River', 'College', 'Industrial', 'Commerce', 'Pine', 'Maple', 'Lincoln', 'Washington', 'Jefferson',
  'Mockingbird', 'Bluebonnet', 'Cottonwood', 'Prairie', 'Ridge', 'Meadow', 'Valley View', 'Mission', 'Alameda', 'Rio Grande',
];

export const STREET_SUFFIXES = ['St', 'Ave', 'Dr', 'Ln', 'Rd', 'Blvd', 'Way', 'Ct', 'Pkwy'];
