/**
 * The demo tenant a new user gets from `npm run db:seed`: Contoso, with the 17 products of
 * the self-service catalogue, about 300 people, about 40 self-service purchases and three
 * central subscriptions with free seats to take them over.
 *
 * Everything except dates comes from fixed-seed PRNGs, so ids, names, purchasers and
 * assignments are the same on every run; dates are relative to `now`, so "expires within
 * 30 days" and "first seen since the last digest" stay true whenever the demo is seeded.
 */
import { addDays, addMonths, addYears, subDays, subMonths, subYears } from 'date-fns';
import type { LicenseAssignment, Person, PrismaClient, Product, Subscription } from '../../db/client.js';
import type { OfferType, PolicyValue } from '../../domain/policy.js';
import { chunks } from '../../db/repositories/batches.js';

export type DemoProduct = Pick<Product, 'id' | 'kind' | 'name' | 'policyValue' | 'policyChangedAt' | 'policyChangedBy' | 'firstSeenAt'>;
export type DemoPerson = Pick<Person, 'id' | 'name' | 'email'> & { accountEnabled?: boolean };
/** What the seed sets: the fields a tenant sync fills stay empty; every demo subscription has a price and a renewal date. */
export type DemoSubscription = Omit<
  Subscription,
  | 'createdAt'
  | 'updatedAt'
  | 'graphId'
  | 'commerceSubscriptionId'
  | 'skuId'
  | 'tenantStatus'
  | 'seenDeletedAt'
  | 'selfServiceDecidedBy'
  | 'selfServiceDecidedAt'
  | 'expiresAt'
  | 'unitPriceMinor'
  | 'currency'
  // Kept by the database as the licenses go in.
  | 'licensesAssigned'
> & { expiresAt: Date; unitPriceMinor: number; currency: string };
export type DemoAssignment = LicenseAssignment;

export interface DemoTenant {
  products: DemoProduct[];
  people: DemoPerson[];
  subscriptions: DemoSubscription[];
  assignments: DemoAssignment[];
}

export interface DemoTenantCounts {
  products: number;
  people: number;
  subscriptions: number;
  assignments: number;
}

export const DEMO_DOMAIN = 'contoso.com';
const PEOPLE_COUNT = 300;
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

// ---------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: tiny, fast, good enough to make demo data look unplanned. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Random.pick on an empty list');
    return item;
  }

  /** A copy of `items` in random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  /** A lower-case RFC 4122 version-4 uuid, like Microsoft's object and subscription ids. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 4; i++) {
      hex += Math.floor(this.next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    }
    const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return [hex.slice(0, 8), hex.slice(8, 12), `4${hex.slice(13, 16)}`, `${variant}${hex.slice(17, 20)}`, hex.slice(20, 32)].join('-');
  }
}

// Separate streams, so that changing one part of the demo does not reshuffle the others.
const SEED = { people: 0x5eed0001, ids: 0x5eed0002, plan: 0x5eed0003, central: 0x5eed0004, waste: 0x5eed0005 };

// ---------------------------------------------------------------------------------------
// Catalogue

interface CatalogueEntry {
  id: string;
  name: string;
  policyValue: PolicyValue;
  /** Days before `now` the policy was last changed; absent while it is still the default. */
  policyChangedDaysAgo?: number;
  /** Per-license, per-month list price in minor units, by currency. */
  prices: { USD: number; EUR?: number; GBP?: number };
}

/** The 17 products of the self-service catalogue, with their real ProductIds. */
export const DEMO_CATALOGUE = [
  { id: 'CFQ7TTC0H9MP', name: 'Power BI Pro', policyValue: 'Enabled', prices: { USD: 1400, EUR: 1310, GBP: 1100 } },
  { id: 'CFQ7TTC0LH2H', name: 'Power Apps per user', policyValue: 'Enabled', prices: { USD: 2000, EUR: 1870 } },
  { id: 'CFQ7TTC0LH3L', name: 'Power Automate per user', policyValue: 'Enabled', prices: { USD: 1500, EUR: 1400 } },
  { id: 'CFQ7TTC0HDB0', name: 'Project Plan 3', policyValue: 'Enabled', prices: { USD: 3000, EUR: 2810, GBP: 2500 } },
  { id: 'CFQ7TTC0HD33', name: 'Visio Plan 1', policyValue: 'Enabled', prices: { USD: 500, EUR: 470 } },
  { id: 'CFQ7TTC0HD32', name: 'Visio Plan 2', policyValue: 'Enabled', prices: { USD: 1500, EUR: 1400 } },
  { id: 'CFQ7TTC0HDB1', name: 'Planner Plan 1', policyValue: 'Enabled', prices: { USD: 1000 } },
  {
    id: 'CFQ7TTC0MM8R',
    name: 'Microsoft 365 Copilot',
    policyValue: 'OnlyTrialsWithoutPaymentMethod',
    policyChangedDaysAgo: 10,
    prices: { USD: 3000 },
  },
  {
    id: 'CFQ7TTC0J1FV',
    name: 'Teams Exploratory',
    policyValue: 'OnlyTrialsWithoutPaymentMethod',
    policyChangedDaysAgo: 250,
    prices: { USD: 0 },
  },
  { id: 'CFQ7TTC0N8SS', name: 'Clipchamp Premium', policyValue: 'Enabled', prices: { USD: 1199 } },
  { id: 'CFQ7TTC0H6RP', name: 'Power BI Premium', policyValue: 'Enabled', prices: { USD: 2400 } },
  {
    id: 'CFQ7TTC0LSGZ',
    name: 'Power Automate RPA',
    policyValue: 'Disabled',
    policyChangedDaysAgo: 150,
    prices: { USD: 15000 },
  },
  {
    id: 'CFQ7TTC0LH05',
    name: 'Microsoft 365 F3',
    policyValue: 'Disabled',
    policyChangedDaysAgo: 300,
    prices: { USD: 800 },
  },
  {
    id: 'CFQ7TTC0N8SL',
    name: 'Microsoft Purview Discovery',
    policyValue: 'Disabled',
    policyChangedDaysAgo: 200,
    prices: { USD: 1000 },
  },
  { id: 'CFQ7TTC0S3X1', name: 'Python in Excel', policyValue: 'Enabled', prices: { USD: 2400 } },
  { id: 'CFQ7TTC0RM8K', name: 'Teams Premium Introductory Pricing', policyValue: 'Enabled', prices: { USD: 700 } },
  { id: 'CFQ7TTC0PW0V', name: 'Viva Goals', policyValue: 'Enabled', prices: { USD: 600 } },
] as const satisfies readonly CatalogueEntry[];

type ProductName = (typeof DEMO_CATALOGUE)[number]['name'];

/** Python in Excel shows up as a newly seen product (Enabled), for the policy guard. */
const RECENTLY_SEEN_PRODUCT: ProductName = 'Python in Excel';

const OFFER_TYPE_NAMES: Record<OfferType, { name: string; policyValue: 'Enabled' | 'Disabled' }> = {
  SaaS: { name: 'Third-party SaaS apps', policyValue: 'Enabled' },
  POWERBIVISUALS: { name: 'Power BI visuals', policyValue: 'Enabled' },
  DYNAMICSCE: { name: 'Dynamics 365 Customer Engagement', policyValue: 'Disabled' },
  DYNAMICSBC: { name: 'Dynamics 365 Business Central', policyValue: 'Disabled' },
};

function catalogueEntry(name: ProductName): CatalogueEntry {
  const entry = DEMO_CATALOGUE.find((product) => product.name === name);
  if (!entry) throw new Error(`Unknown demo product ${name}`);
  return entry;
}

function buildProducts(now: Date): DemoProduct[] {
  const longAgo = subDays(now, 400);
  const products: DemoProduct[] = DEMO_CATALOGUE.map((entry: CatalogueEntry) => {
    const changedDaysAgo = entry.policyChangedDaysAgo;
    return {
      id: entry.id,
      kind: 'product',
      name: entry.name,
      policyValue: entry.policyValue,
      policyChangedAt: changedDaysAgo === undefined ? null : subDays(now, changedDaysAgo),
      policyChangedBy: changedDaysAgo === undefined ? null : 'tenant',
      firstSeenAt: entry.name === RECENTLY_SEEN_PRODUCT ? subDays(now, 1) : longAgo,
    };
  });
  for (const [id, offer] of Object.entries(OFFER_TYPE_NAMES)) {
    const disabled = offer.policyValue === 'Disabled';
    products.push({
      id,
      kind: 'offerType',
      name: offer.name,
      policyValue: offer.policyValue,
      policyChangedAt: disabled ? subDays(now, 320) : null,
      policyChangedBy: disabled ? 'tenant' : null,
      firstSeenAt: longAgo,
    });
  }
  return products;
}

// ---------------------------------------------------------------------------------------
// People

/** First and last names that go together, so generated names read like real ones. */
const NAME_POOLS: ReadonlyArray<{ weight: number; first: readonly string[]; last: readonly string[] }> = [
  {
    weight: 6,
    first: [
      'James',
      'Emily',
      'Michael',
      'Sarah',
      'David',
      'Jessica',
      'Daniel',
      'Laura',
      'Ryan',
      'Megan',
      'Chris',
      'Hannah',
      'Andrew',
      'Olivia',
      'Kevin',
      'Rachel',
      'Brian',
      'Natalie',
      'Tyler',
      'Grace',
    ],
    last: [
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Miller',
      'Davis',
      'Wilson',
      'Anderson',
      'Taylor',
      'Thomas',
      'Moore',
      'Martin',
      'Thompson',
      'White',
      'Harris',
      "O'Brien",
      'Clarke',
      'Walker',
      'Bennett',
      'Hughes',
    ],
  },
  {
    weight: 3,
    first: ['José', 'María', 'Carlos', 'Lucía', 'Javier', 'Sofía', 'Diego', 'Valentina', 'Alejandro', 'Camila', 'Mateo', 'Isabel', 'Andrés', 'Paula'],
    last: ['García', 'Martínez', 'Rodríguez', 'López', 'Hernández', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Morales'],
  },
  {
    weight: 2,
    first: ['Lukas', 'Anna', 'Jonas', 'Lena', 'Felix', 'Julia', 'Maximilian', 'Katharina', 'Tobias', 'Sophie', 'Jürgen', 'Marie'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Krüger', 'Zimmermann'],
  },
  {
    weight: 2,
    first: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Théo', 'Manon', 'Julien', 'Élodie', 'Nicolas', 'Amélie', 'Mathieu'],
    last: ['Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Bonnet', 'Rousseau', 'Fontaine', 'Chevalier', 'Mercier', 'Leroy', 'Fournier'],
  },
  {
    weight: 4,
    first: ['Priya', 'Arjun', 'Ananya', 'Rahul', 'Deepika', 'Vikram', 'Kavya', 'Rohan', 'Sneha', 'Aditya', 'Meera', 'Sanjay', 'Lakshmi', 'Karthik'],
    last: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Nair', 'Gupta', 'Krishnan', 'Menon', 'Rao', 'Chatterjee', 'Desai', 'Singh'],
  },
  {
    weight: 3,
    first: ['Wei', 'Li', 'Jing', 'Hao', 'Xin', 'Yan', 'Jun', 'Mei', 'Lei', 'Ying', 'Chen', 'Xiaoming'],
    last: ['Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Lin'],
  },
  {
    weight: 2,
    first: ['Haruto', 'Yui', 'Sota', 'Aoi', 'Ren', 'Sakura', 'Kenji', 'Yuki', 'Takumi', 'Hina'],
    last: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato'],
  },
  {
    weight: 1,
    first: ['Min-jun', 'Seo-yeon', 'Ji-ho', 'Ha-eun', 'Do-hyun', 'Soo-ah', 'Jae-won', 'Yuna'],
    last: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon'],
  },
  {
    weight: 2,
    first: ['Chinedu', 'Ngozi', 'Emeka', 'Adaeze', 'Oluwaseun', 'Funmilayo', 'Tunde', 'Amaka', 'Kwame', 'Abena'],
    last: ['Okafor', 'Adeyemi', 'Okonkwo', 'Balogun', 'Eze', 'Nwosu', 'Mensah', 'Owusu', 'Adebayo', 'Obi'],
  },
  {
    weight: 2,
    first: ['Omar', 'Layla', 'Yusuf', 'Fatima', 'Karim', 'Nour', 'Hassan', 'Amira', 'Tariq', 'Salma'],
    last: ['Haddad', 'Khalil', 'Mansour', 'Nasser', 'Saleh', 'Farouk', 'Hamdan', 'Aziz', 'Rahman', 'Darwish'],
  },
  {
    weight: 2,
    first: ['Søren', 'Ingrid', 'Magnus', 'Astrid', 'Lars', 'Freja', 'Erik', 'Sigrid', 'Nils', 'Maja'],
    last: ['Jensen', 'Nielsen', 'Hansen', 'Larsen', 'Andersson', 'Johansson', 'Lindqvist', 'Berg', 'Dahl', 'Håkansson'],
  },
  {
    weight: 1,
    first: ['Piotr', 'Agnieszka', 'Tomasz', 'Katarzyna', 'Marek', 'Zofia', 'Paweł', 'Magdalena'],
    last: ['Kowalski', 'Nowak', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Zieliński', 'Mazur'],
  },
  {
    weight: 1,
    first: ['Giulia', 'Marco', 'Chiara', 'Luca', 'Francesca', 'Alessandro', 'Elena', 'Matteo'],
    last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci'],
  },
  {
    weight: 1,
    first: ['Minh', 'Linh', 'Tuấn', 'Thảo', 'Quang', 'Hương', 'Đức', 'Lan'],
    last: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ', 'Đặng', 'Bùi'],
  },
  {
    weight: 1,
    first: ['João', 'Ana', 'Pedro', 'Beatriz', 'Rafael', 'Mariana', 'Thiago', 'Larissa'],
    last: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Carvalho', 'Almeida', 'Ribeiro'],
  },
  {
    weight: 1,
    first: ['Sanne', 'Daan', 'Femke', 'Bram', 'Lotte', 'Jeroen'],
    last: ['de Vries', 'van den Berg', 'Jansen', 'Bakker', 'Visser', 'de Jong'],
  },
];

/** Letters that Unicode decomposition does not turn into ASCII. */
const ASCII_FOLDS: Record<string, string> = { ø: 'o', æ: 'ae', å: 'a', ß: 'ss', ł: 'l', đ: 'd', ı: 'i' };

/** "Søren Håkansson" -> "soren", "hakansson": what a UPN's local part would hold. */
export function emailLocalPart(namePart: string): string {
  return namePart
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øæåßłđı]/g, (letter) => ASCII_FOLDS[letter] ?? '')
    .replace(/[^a-z0-9-]/g, '');
}

function buildPeople(random: Random, ids: Random): DemoPerson[] {
  const weighted = NAME_POOLS.flatMap((pool) => Array<typeof pool>(pool.weight).fill(pool));
  const usedEmails = new Set<string>();
  const usedNames = new Set<string>();
  const people: DemoPerson[] = [];
  while (people.length < PEOPLE_COUNT) {
    const pool = random.pick(weighted);
    const first = random.pick(pool.first);
    const last = random.pick(pool.last);
    // Namesakes happen in real tenants (and exercise the email dedupe), but only now and then.
    if (usedNames.has(`${first} ${last}`) && random.float() > 0.1) continue;
    usedNames.add(`${first} ${last}`);
    const base = `${emailLocalPart(first)}.${emailLocalPart(last)}`;
    let local = base;
    for (let n = 2; usedEmails.has(local); n++) local = `${base}${n}`;
    usedEmails.add(local);
    people.push({ id: ids.uuid(), name: `${first} ${last}`, email: `${local}@${DEMO_DOMAIN}` });
  }
  return people;
}

// ---------------------------------------------------------------------------------------
// Self-service purchases: a hand-written plan, so the promised spread of expirations,
// trials, cancellations and new purchases holds by construction.

type Term = 'month' | 'year' | 'trial';
type Currency = 'USD' | 'EUR' | 'GBP';

/** Either when it was bought, or when it renews (then it was bought one term, plus renewals, before). */
type Timing = { boughtDaysAgo: number } | { expiresInDays: number; renewals?: number };

interface Cancellation {
  daysAgo: number;
  by: string;
  reason: string;
  comment?: string;
}

interface PurchasePlan {
  /** A fixed id, for the subscriptions that README's and the help's examples name. */
  id?: string;
  product: ProductName;
  /** Index into the 25 purchasers. */
  buyer: number;
  licenses: number;
  term: Term;
  timing: Timing;
  currency?: Currency;
  cancelled?: Cancellation;
}

/**
 * What the examples in README.md and in `/purchases help` name: they must work as written on the
 * demo tenant (an end-to-end test runs each one). Meera Desai is the purchaser the sandbox's DMs
 * go to; `show` and `takeover` use the first id, `export` both.
 */
export const DEMO_EXAMPLES = {
  purchaser: { name: 'Meera Desai', email: `meera.desai@${DEMO_DOMAIN}` },
  /** Meera's Power BI Pro subscription that renews tomorrow. */
  renewingSubscriptionId: '3f2b9c1a-5d7e-4c21-9a4b-8e6f0d2c1b3a',
  /** Meera's other Power BI Pro subscription. */
  otherSubscriptionId: '9d0e77b2-1c3f-4e8a-b5d6-2a7c9f0e4b18',
} as const;

const TRIAL_DAYS = 30;
const PURCHASER_COUNT = 25;
/** A purchase seen this recently is "new" for the digest. */
const NEW_PURCHASE_DAYS = 2;

const PURCHASE_PLAN: readonly PurchasePlan[] = [
  // Renewing soon: within 1 day, within 7 days, within 30 days.
  { id: DEMO_EXAMPLES.renewingSubscriptionId, product: 'Power BI Pro', buyer: 0, licenses: 18, term: 'year', timing: { expiresInDays: 0.6 } },
  { product: 'Power Apps per user', buyer: 1, licenses: 12, term: 'year', timing: { expiresInDays: 3.2 } },
  { product: 'Power Automate per user', buyer: 2, licenses: 5, term: 'trial', timing: { expiresInDays: 6.5 } },
  { product: 'Power BI Pro', buyer: 6, licenses: 25, term: 'trial', timing: { expiresInDays: 9 } },
  { product: 'Visio Plan 2', buyer: 3, licenses: 8, term: 'year', timing: { expiresInDays: 12 } },
  { product: 'Power Apps per user', buyer: 16, licenses: 2, term: 'month', timing: { expiresInDays: 14, renewals: 5 } },
  { product: 'Teams Premium Introductory Pricing', buyer: 23, licenses: 6, term: 'trial', timing: { expiresInDays: 18 } },
  { product: 'Project Plan 3', buyer: 4, licenses: 6, term: 'month', timing: { expiresInDays: 19, renewals: 3 } },
  { product: 'Power BI Pro', buyer: 7, licenses: 15, term: 'year', timing: { expiresInDays: 22 }, currency: 'EUR' },
  { product: 'Clipchamp Premium', buyer: 16, licenses: 1, term: 'month', timing: { expiresInDays: 24, renewals: 2 } },
  { product: 'Power BI Pro', buyer: 5, licenses: 10, term: 'month', timing: { expiresInDays: 27, renewals: 1 } },
  // New since the last digest (bought and first seen within 2 days).
  { product: 'Power BI Pro', buyer: 12, licenses: 2, term: 'year', timing: { boughtDaysAgo: 0.2 } },
  { product: 'Power Apps per user', buyer: 17, licenses: 10, term: 'trial', timing: { boughtDaysAgo: 0.7 } },
  { product: 'Power Automate per user', buyer: 20, licenses: 15, term: 'year', timing: { boughtDaysAgo: 1.1 } },
  { product: 'Project Plan 3', buyer: 10, licenses: 8, term: 'year', timing: { boughtDaysAgo: 1.6 } },
  // The rest of the year, renewing later.
  { id: DEMO_EXAMPLES.otherSubscriptionId, product: 'Power BI Pro', buyer: 0, licenses: 25, term: 'year', timing: { boughtDaysAgo: 300 } },
  { product: 'Power BI Pro', buyer: 8, licenses: 3, term: 'year', timing: { boughtDaysAgo: 410 } },
  { product: 'Power BI Pro', buyer: 9, licenses: 1, term: 'year', timing: { boughtDaysAgo: 45 } },
  { product: 'Power BI Pro', buyer: 10, licenses: 7, term: 'year', timing: { boughtDaysAgo: 120 } },
  { product: 'Power BI Pro', buyer: 11, licenses: 4, term: 'year', timing: { boughtDaysAgo: 200 }, currency: 'GBP' },
  { product: 'Power BI Premium', buyer: 14, licenses: 3, term: 'year', timing: { boughtDaysAgo: 150 } },
  { product: 'Power Apps per user', buyer: 15, licenses: 20, term: 'year', timing: { boughtDaysAgo: 250 } },
  { product: 'Power Apps per user', buyer: 1, licenses: 6, term: 'year', timing: { boughtDaysAgo: 60 } },
  { product: 'Power Apps per user', buyer: 18, licenses: 4, term: 'year', timing: { boughtDaysAgo: 380 } },
  { product: 'Power Automate per user', buyer: 19, licenses: 8, term: 'year', timing: { boughtDaysAgo: 100 } },
  { product: 'Power Automate per user', buyer: 2, licenses: 3, term: 'year', timing: { boughtDaysAgo: 330 }, currency: 'EUR' },
  { product: 'Power Automate RPA', buyer: 22, licenses: 2, term: 'year', timing: { boughtDaysAgo: 170 } },
  { product: 'Visio Plan 1', buyer: 23, licenses: 5, term: 'year', timing: { boughtDaysAgo: 80 } },
  { product: 'Visio Plan 1', buyer: 24, licenses: 12, term: 'year', timing: { boughtDaysAgo: 270 }, currency: 'EUR' },
  { product: 'Visio Plan 1', buyer: 3, licenses: 1, term: 'year', timing: { boughtDaysAgo: 15 } },
  { product: 'Visio Plan 2', buyer: 0, licenses: 4, term: 'year', timing: { boughtDaysAgo: 230 } },
  { product: 'Project Plan 3', buyer: 4, licenses: 3, term: 'year', timing: { boughtDaysAgo: 130 } },
  { product: 'Project Plan 3', buyer: 19, licenses: 2, term: 'year', timing: { boughtDaysAgo: 310 }, currency: 'GBP' },
  { product: 'Microsoft 365 Copilot', buyer: 5, licenses: 10, term: 'year', timing: { boughtDaysAgo: 55 } },
  { product: 'Clipchamp Premium', buyer: 22, licenses: 2, term: 'year', timing: { boughtDaysAgo: 190 } },
  { product: 'Planner Plan 1', buyer: 6, licenses: 5, term: 'year', timing: { boughtDaysAgo: 160 } },
  // Already taken over or cancelled: kept on record with who, when and why.
  {
    product: 'Power BI Pro',
    buyer: 13,
    licenses: 9,
    term: 'year',
    timing: { boughtDaysAgo: 90 },
    cancelled: { daysAgo: 20, by: 'tenant', reason: 'Cancelled in the Microsoft 365 admin center' },
  },
  {
    product: 'Power Automate per user',
    buyer: 21,
    licenses: 1,
    term: 'year',
    timing: { boughtDaysAgo: 210 },
    cancelled: { daysAgo: 35, by: 'Dana Whitfield', reason: 'Users moved to a central subscription' },
  },
  {
    product: 'Visio Plan 2',
    buyer: 12,
    licenses: 2,
    term: 'year',
    timing: { boughtDaysAgo: 400 },
    cancelled: { daysAgo: 120, by: 'tenant', reason: 'Cancelled by the purchaser' },
  },
  {
    product: 'Microsoft 365 Copilot',
    buyer: 14,
    licenses: 3,
    term: 'year',
    timing: { boughtDaysAgo: 20 },
    cancelled: {
      daysAgo: 4,
      by: 'Marcus Oyelaran',
      reason: 'Purchase not approved',
      comment: 'Copilot is rolled out centrally next quarter.',
    },
  },
];

function anniversary(start: Date, term: Term, count: number): Date {
  if (term === 'trial') return addDays(start, TRIAL_DAYS * count);
  return term === 'year' ? addYears(start, count) : addMonths(start, count);
}

function termsBefore(end: Date, term: Term, count: number): Date {
  if (term === 'trial') return subDays(end, TRIAL_DAYS * count);
  return term === 'year' ? subYears(end, count) : subMonths(end, count);
}

/** The first renewal date after `now`. */
function nextRenewal(purchasedAt: Date, term: Term, now: Date): Date {
  let count = 1;
  while (anniversary(purchasedAt, term, count).getTime() <= now.getTime()) count++;
  return anniversary(purchasedAt, term, count);
}

function purchaseDates(plan: PurchasePlan, now: Date, jitterMinutes: number) {
  const { timing } = plan;
  if ('boughtDaysAgo' in timing) {
    const purchasedAt = new Date(now.getTime() - timing.boughtDaysAgo * DAY_MS - jitterMinutes * MINUTE_MS);
    return { purchasedAt, expiresAt: nextRenewal(purchasedAt, plan.term, now) };
  }
  const expiresAt = new Date(now.getTime() + timing.expiresInDays * DAY_MS + jitterMinutes * MINUTE_MS);
  const terms = plan.term === 'trial' ? 1 : 1 + (timing.renewals ?? 0);
  return { purchasedAt: termsBefore(expiresAt, plan.term, terms), expiresAt };
}

function between(random: Random, from: Date, to: Date): Date {
  return new Date(from.getTime() + Math.floor(random.float() * (to.getTime() - from.getTime())));
}

interface BuiltSubscriptions {
  subscriptions: DemoSubscription[];
  assignments: DemoAssignment[];
  /** Per product id, everyone who holds (or held) a self-service license for it. */
  holders: Map<string, Set<string>>;
}

/** The 25 purchasers, in random order but for the examples' purchaser, who is always the first. */
function pickPurchasers(people: DemoPerson[], random: Random): DemoPerson[] {
  const shuffled = random.shuffled(people);
  const named = shuffled.findIndex((person) => person.name === DEMO_EXAMPLES.purchaser.name);
  if (named < 0) throw new Error(`The demo tenant has no ${DEMO_EXAMPLES.purchaser.name}, whom the examples name`);
  const [example] = shuffled.splice(named, 1);
  return [example!, ...shuffled].slice(0, PURCHASER_COUNT);
}

function buildSelfService(now: Date, people: DemoPerson[], random: Random, ids: Random): BuiltSubscriptions {
  const purchasers = pickPurchasers(people, random);
  const earliest = subMonths(now, 14);
  const subscriptions: DemoSubscription[] = [];
  const assignments: DemoAssignment[] = [];
  const holders = new Map<string, Set<string>>();

  for (const plan of PURCHASE_PLAN) {
    const product = catalogueEntry(plan.product);
    const purchaser = purchasers[plan.buyer];
    if (!purchaser) throw new Error(`Demo plan names purchaser ${plan.buyer}, beyond ${PURCHASER_COUNT}`);
    const { purchasedAt, expiresAt } = purchaseDates(plan, now, random.int(0, 59));
    if (purchasedAt.getTime() < earliest.getTime() || purchasedAt.getTime() >= now.getTime() || expiresAt.getTime() <= now.getTime()) {
      throw new Error(`Demo plan for ${plan.product} (buyer ${plan.buyer}) falls outside the last 14 months`);
    }
    const isNew = now.getTime() - purchasedAt.getTime() < NEW_PURCHASE_DAYS * DAY_MS;
    // The bot notices a purchase at its next sync: minutes for new ones, hours for the rest.
    const seenLagMinutes = isNew ? random.int(5, 40) : random.int(60, 12 * 60);
    const firstSeenAt = new Date(Math.min(now.getTime(), purchasedAt.getTime() + seenLagMinutes * MINUTE_MS));
    const isTrial = plan.term === 'trial';
    const currency = plan.currency ?? 'USD';
    const unitPriceMinor = isTrial ? 0 : product.prices[currency];
    if (unitPriceMinor === undefined) throw new Error(`No ${currency} price for ${product.name}`);
    const cancelledAt = plan.cancelled ? subDays(now, plan.cancelled.daysAgo) : null;

    // Drawn even when the id is fixed, so the other subscriptions keep theirs.
    const drawnId = ids.uuid();
    const subscription: DemoSubscription = {
      id: plan.id ?? drawnId,
      productId: product.id,
      isSelfService: true,
      selfServiceSource: 'seed',
      purchaserId: purchaser.id,
      licensesPurchased: plan.licenses,
      purchasedAt,
      expiresAt,
      unitPriceMinor,
      currency,
      isTrial,
      status: plan.cancelled ? 'Deleted' : 'Active',
      cancelledAt,
      cancelledBy: plan.cancelled?.by ?? null,
      cancelReason: plan.cancelled?.reason ?? null,
      cancelComment: plan.cancelled?.comment ?? null,
      firstSeenAt,
      source: 'seed',
    };
    subscriptions.push(subscription);

    const productHolders = holders.get(product.id) ?? new Set<string>();
    holders.set(product.id, productHolders);
    const assignedCount = random.int(Math.max(1, Math.ceil(plan.licenses * 0.5)), plan.licenses);
    const assignees: DemoPerson[] = [];
    if (!productHolders.has(purchaser.id) && random.float() < 0.85) assignees.push(purchaser);
    for (const person of random.shuffled(people)) {
      if (assignees.length >= assignedCount) break;
      if (!productHolders.has(person.id) && !assignees.includes(person)) assignees.push(person);
    }
    const assignedUntil = cancelledAt ?? now;
    for (const person of assignees) {
      productHolders.add(person.id);
      assignments.push({
        id: ids.uuid(),
        subscriptionId: subscription.id,
        userId: person.id,
        assignedAt: between(random, purchasedAt, assignedUntil),
        removedAt: cancelledAt,
        source: 'seed',
      });
    }
  }
  return { subscriptions, assignments, holders };
}

// ---------------------------------------------------------------------------------------
// Central subscriptions: bought by IT, with free seats to take the self-service ones over.

interface CentralPlan {
  product: ProductName;
  licenses: number;
  assigned: number;
  boughtDaysAgo: number;
  /** A negotiated monthly price (USD cents) instead of the list price. */
  unitPriceMinor?: number;
}

const CENTRAL_PLAN: readonly CentralPlan[] = [
  { product: 'Power BI Pro', licenses: 300, assigned: 190, boughtDaysAgo: 600 },
  { product: 'Visio Plan 2', licenses: 50, assigned: 35, boughtDaysAgo: 500 },
  { product: 'Project Plan 3', licenses: 40, assigned: 25, boughtDaysAgo: 420 },
  // For the savings finder: one product cheaper centrally, one dearer (the sandbox shows both).
  { product: 'Power Automate per user', licenses: 40, assigned: 2, boughtDaysAgo: 120, unitPriceMinor: 1200 },
  { product: 'Visio Plan 1', licenses: 20, assigned: 2, boughtDaysAgo: 90, unitPriceMinor: 700 },
];

function buildCentral(now: Date, people: DemoPerson[], holders: Map<string, Set<string>>, random: Random, ids: Random): Omit<BuiltSubscriptions, 'holders'> {
  const subscriptions: DemoSubscription[] = [];
  const assignments: DemoAssignment[] = [];
  for (const plan of CENTRAL_PLAN) {
    const product = catalogueEntry(plan.product);
    const purchasedAt = subDays(now, plan.boughtDaysAgo);
    const subscription: DemoSubscription = {
      id: ids.uuid(),
      productId: product.id,
      isSelfService: false,
      selfServiceSource: 'seed',
      purchaserId: null,
      licensesPurchased: plan.licenses,
      purchasedAt,
      expiresAt: nextRenewal(purchasedAt, 'year', now),
      unitPriceMinor: plan.unitPriceMinor ?? product.prices.USD,
      currency: 'USD',
      isTrial: false,
      status: 'Active',
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      cancelComment: null,
      firstSeenAt: purchasedAt,
      source: 'seed',
    };
    subscriptions.push(subscription);
    // Whoever bought the product for themselves does not also hold a central license yet.
    const selfServiceHolders = holders.get(product.id) ?? new Set<string>();
    const candidates = random.shuffled(people).filter((person) => !selfServiceHolders.has(person.id));
    if (candidates.length < plan.assigned) {
      throw new Error(`Not enough people for ${plan.assigned} central ${plan.product} licenses`);
    }
    for (const person of candidates.slice(0, plan.assigned)) {
      assignments.push({
        id: ids.uuid(),
        subscriptionId: subscription.id,
        userId: person.id,
        assignedAt: between(random, purchasedAt, now),
        removedAt: null,
        source: 'seed',
      });
    }
  }
  return { subscriptions, assignments };
}

// ---------------------------------------------------------------------------------------

/** The whole demo tenant; pure: the same `now` gives the same tenant. */
export function buildDemoTenant(now: Date): DemoTenant {
  const ids = new Random(SEED.ids);
  const people = buildPeople(new Random(SEED.people), ids);
  const selfService = buildSelfService(now, people, new Random(SEED.plan), ids);
  const central = buildCentral(now, people, selfService.holders, new Random(SEED.central), ids);
  const subscriptions = [...selfService.subscriptions, ...central.subscriptions];
  const assignments = [...selfService.assignments, ...central.assignments];
  return { products: buildProducts(now), people: withWaste(people, subscriptions, assignments), subscriptions, assignments };
}

/**
 * A little of each waste the savings finder looks for, on the first active, paid self-service
 * Power BI Pro subscription with free seats that the documented examples do not use: one holder of a
 * central Power BI Pro license is given one of its seats too (paying twice), and one of its
 * holders has a disabled account.
 */
function withWaste(people: DemoPerson[], subscriptions: DemoSubscription[], assignments: DemoAssignment[]): DemoPerson[] {
  const central = subscriptions.find((s) => !s.isSelfService && s.productId === catalogueEntry('Power BI Pro').id);
  const examples: readonly string[] = [DEMO_EXAMPLES.renewingSubscriptionId, DEMO_EXAMPLES.otherSubscriptionId];
  const wasteful = subscriptions.find(
    (s) =>
      s.isSelfService &&
      s.status === 'Active' &&
      !s.isTrial &&
      s.productId === central?.productId &&
      !examples.includes(s.id) &&
      assignments.filter((a) => a.subscriptionId === s.id).length < s.licensesPurchased,
  );
  if (!wasteful || !central) return people;
  const holders = new Set(assignments.filter((a) => a.subscriptionId === wasteful.id).map((a) => a.userId));
  const twice = assignments.find((a) => a.subscriptionId === central.id && !holders.has(a.userId));
  const disabled = assignments.find((a) => a.subscriptionId === wasteful.id);
  if (twice) {
    assignments.push({
      id: new Random(SEED.waste).uuid(),
      subscriptionId: wasteful.id,
      userId: twice.userId,
      assignedAt: new Date(Math.max(twice.assignedAt.getTime(), wasteful.purchasedAt.getTime())),
      removedAt: null,
      source: 'seed',
    });
  }
  return people.map((person) => (person.id === disabled?.userId ? { ...person, accountEnabled: false } : person));
}

/**
 * Writes the demo tenant into an empty database, in one transaction. A database that already
 * has products is someone's tenant: it is left alone (seeded false, counts zero).
 */
export async function seedDemoTenant(prisma: PrismaClient, now: Date): Promise<{ seeded: boolean; counts: DemoTenantCounts }> {
  if ((await prisma.product.count()) > 0) {
    return { seeded: false, counts: { products: 0, people: 0, subscriptions: 0, assignments: 0 } };
  }
  const tenant = buildDemoTenant(now);
  await prisma.$transaction([
    ...chunks(tenant.products).map((data) => prisma.product.createMany({ data })),
    ...chunks(tenant.people).map((data) => prisma.person.createMany({ data })),
    ...chunks(tenant.subscriptions).map((data) => prisma.subscription.createMany({ data })),
    ...chunks(tenant.assignments).map((data) => prisma.licenseAssignment.createMany({ data })),
  ]);
  return {
    seeded: true,
    counts: {
      products: tenant.products.length,
      people: tenant.people.length,
      subscriptions: tenant.subscriptions.length,
      assignments: tenant.assignments.length,
    },
  };
}
