/**
 * The synthetic tenant the bench measures: the shape of a large customer, generated from fixed
 * seeds so both databases (and every run) get the same rows.
 *
 * At size S: S subscriptions, 2S people, S/4 of them purchasers, about 10S license assignments.
 * Power BI Pro has a tenth of the self-service subscriptions and three of every ten licenses
 * (35 users a subscription on average, 8 elsewhere); 15% of purchases are cancelled (their
 * licenses removed), 5% are trials; expiries spread over the coming year. Each product has two
 * central subscriptions. Two fixtures, the same at every size, serve the write measures:
 * - move: a Power BI Premium self-service subscription with 10,000 users, and an empty central
 *   Power BI Premium subscription with room for them;
 * - centralize: 1,000 Clipchamp Premium self-service subscriptions of 10 users each (over SQLite's
 *   999 bind parameters), and an empty central Clipchamp Premium subscription with room for all.
 *
 * Rows come out in batches of plain values (Date, boolean, number, string, null); each loader
 * converts them to its database's representation.
 */
import { addDays, subDays } from 'date-fns';
import { buildDemoTenant, DEMO_CATALOGUE, Random } from '../src/tenant/local/demo-tenant.js';

export const SIZES = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 } as const;
export type SizeName = keyof typeof SIZES;

export const BENCH_NOW = new Date('2026-11-25T09:00:00Z');
const DAY_MS = 86_400_000;
const BATCH_ROWS = 20_000;

export type Cell = string | number | boolean | Date | null;
export interface TableBatch {
  table: 'Product' | 'Person' | 'Subscription' | 'LicenseAssignment';
  columns: readonly string[];
  rows: Cell[][];
}

// biome-ignore format: a table, one table's columns a line
const COLUMNS = {
  Product: ['id', 'kind', 'name', 'policyValue', 'policyChangedAt', 'policyChangedBy', 'firstSeenAt', 'updatedAt'],
  Person: ['id', 'name', 'email'],
  Subscription: [
    'id', 'productId', 'isSelfService', 'purchaserId', 'licensesPurchased', 'purchasedAt', 'expiresAt', 'unitPriceMinor',
    'currency', 'isTrial', 'status', 'cancelledAt', 'cancelledBy', 'cancelReason', 'firstSeenAt', 'source', 'updatedAt',
  ],
  LicenseAssignment: ['id', 'subscriptionId', 'userId', 'assignedAt', 'removedAt'],
} as const;

export const MOVE_PRODUCT = 'Power BI Premium';
export const CENTRALIZE_PRODUCT = 'Clipchamp Premium';
export const BIG_PRODUCT = 'Power BI Pro';
const FIXTURE_USERS = 10_000;
const CENTRALIZE_SUBSCRIPTIONS = 1_000;

/** What the measures need to know about the tenant they run on. */
export interface TenantFacts {
  size: number;
  counts: { products: number; people: number; subscriptions: number; assignments: number };
  /** A purchaser's email (lower-case) and one of their subscriptions' ids. */
  purchaserEmail: string;
  showId: string;
  moveFrom: string;
  moveTo: string;
  centralizeCentral: string;
  /** Active self-service subscriptions of BIG_PRODUCT and their current licenses. */
  bigProduct: { id: string; subscriptions: number; licenses: number };
}

// biome-ignore format: a list of names, on one line
const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Liam', 'Meera', 'Noah', 'Olga', 'Pedro', 'Qing', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Victor', 'Wen', 'Yara', 'Zoe'];
// biome-ignore format: a list of names, on one line
const LAST = ['Lopez', 'Smith', 'Dubois', 'Ivanov', 'Yilmaz', 'Haddad', 'Kim', 'Tanaka', 'Costa', 'Berg', 'Nair', 'Murphy', 'Desai', 'Cohen', 'Novak', 'Silva', 'Zhang', 'Rossi', 'Larsen', 'Aziz', 'Okafor', 'Moreau', 'Chen', 'Haddad', 'Walsh'];

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (x: number) => HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;

/** A version-4 uuid from the seeded generator (Random.uuid's format, a million of them faster). */
function uuid(random: Random): string {
  const word = () => (random.float() * 0x100000000) >>> 0;
  const b = hex32(word());
  const c = word();
  const hc = hex32(c);
  return `${hex32(word())}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[c >>> 30]}${hc.slice(1, 4)}-${hc.slice(4)}${hex32(word())}`;
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function person(i: number): [id: string, name: string, email: string] {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  return [personId(i), `${first} ${last} ${i}`, `${ascii(first)}.${ascii(last)}.${i}@contoso.test`];
}

/** Person i's id: a function of i, so a subscription's users need no lookup table. */
function personId(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

class Batches {
  private readonly pending = new Map<TableBatch['table'], Cell[][]>();
  constructor(private readonly out: TableBatch[]) {}

  add(table: TableBatch['table'], row: Cell[]): void {
    const rows = this.pending.get(table) ?? [];
    rows.push(row);
    this.pending.set(table, rows);
    if (rows.length >= BATCH_ROWS) this.flush();
  }

  /** Every pending row, parents before children (licenses refer to their subscription). */
  flush(): void {
    for (const name of ['Product', 'Person', 'Subscription', 'LicenseAssignment'] as const) {
      const rows = this.pending.get(name);
      if (rows && rows.length > 0) this.out.push({ table: name, columns: COLUMNS[name], rows });
      this.pending.delete(name);
    }
  }
}

/**
 * Yields the tenant in batches (people first, then each subscription with its licenses), and
 * fills `facts` as it goes: read them once the generator is done.
 */
export function* tenantBatches(sizeName: SizeName, facts: Partial<TenantFacts>): Generator<TableBatch> {
  const size = SIZES[sizeName];
  const now = BENCH_NOW;
  const people = 2 * size;
  const purchasers = Math.floor(size / 4);
  const random = new Random(0xbe4c0001);
  const ids = new Random(0xbe4c0002);
  const counts = { products: 0, people, subscriptions: 0, assignments: 0 };
  const out: TableBatch[] = [];
  const batches = new Batches(out);
  const drain = function* () {
    yield* out.splice(0);
  };

  const products = buildDemoTenant(now).products;
  for (const p of products) {
    batches.add('Product', [p.id, p.kind, p.name, p.policyValue, p.policyChangedAt, p.policyChangedBy, p.firstSeenAt, now]);
  }
  counts.products = products.length;
  batches.flush();
  yield* drain();

  for (let i = 0; i < people; i++) {
    batches.add('Person', person(i));
    if (out.length > 0) yield* drain();
  }
  batches.flush();
  yield* drain();

  const productOf = (name: string) => DEMO_CATALOGUE.find((p) => p.name === name)!;
  let userCursor = 0;
  const subscription = (s: {
    id: string;
    productId: string;
    purchaser: number | null;
    licenses: number;
    users: number[];
    purchasedAt: Date;
    expiresAt: Date;
    price: { amountMinor: number; currency: string };
    isTrial?: boolean;
    cancelledAt?: Date;
  }) => {
    const cancelled = s.cancelledAt ?? null;
    batches.add('Subscription', [
      s.id,
      s.productId,
      s.purchaser !== null,
      s.purchaser === null ? null : personId(s.purchaser),
      s.licenses,
      s.purchasedAt,
      s.expiresAt,
      s.price.amountMinor,
      s.price.currency,
      s.isTrial ?? false,
      cancelled ? 'Deleted' : 'Active',
      cancelled,
      cancelled ? 'U0BENCHADM' : null,
      cancelled ? 'no_longer_needed' : null,
      s.purchasedAt,
      'seed',
      now,
    ]);
    for (const user of s.users) {
      batches.add('LicenseAssignment', [uuid(ids), s.id, personId(user), new Date(s.purchasedAt.getTime() + 3_600_000), cancelled]);
    }
    counts.subscriptions += 1;
    counts.assignments += s.users.length;
  };
  const nextUsers = (n: number) => {
    const users = Array.from({ length: n }, (_, k) => (userCursor + k) % people);
    userCursor = (userCursor + n) % people;
    return users;
  };

  // Fixtures first: their users are people 0 .. 19,999, which exist at every size.
  const premium = productOf(MOVE_PRODUCT);
  facts.moveFrom = uuid(ids);
  facts.moveTo = uuid(ids);
  subscription({
    id: facts.moveFrom,
    productId: premium.id,
    purchaser: 0,
    licenses: FIXTURE_USERS,
    users: Array.from({ length: FIXTURE_USERS }, (_, k) => k),
    purchasedAt: subDays(now, 200),
    expiresAt: addDays(now, 165),
    price: { amountMinor: premium.prices.USD, currency: 'USD' },
  });
  subscription({
    id: facts.moveTo,
    productId: premium.id,
    purchaser: null,
    licenses: FIXTURE_USERS + 2_000,
    users: [],
    purchasedAt: subDays(now, 400),
    expiresAt: addDays(now, 330),
    price: { amountMinor: premium.prices.USD, currency: 'USD' },
  });
  const clipchamp = productOf(CENTRALIZE_PRODUCT);
  const perSubscription = FIXTURE_USERS / CENTRALIZE_SUBSCRIPTIONS;
  for (let j = 0; j < CENTRALIZE_SUBSCRIPTIONS; j++) {
    subscription({
      id: uuid(ids),
      productId: clipchamp.id,
      purchaser: j % purchasers,
      licenses: perSubscription,
      users: Array.from({ length: perSubscription }, (_, k) => FIXTURE_USERS + j * perSubscription + k),
      purchasedAt: subDays(now, 1 + (j % 700)),
      expiresAt: addDays(now, 1 + (j % 360)),
      price: { amountMinor: clipchamp.prices.USD, currency: 'USD' },
    });
  }
  facts.centralizeCentral = uuid(ids);
  subscription({
    id: facts.centralizeCentral,
    productId: clipchamp.id,
    purchaser: null,
    licenses: FIXTURE_USERS + 2_000,
    users: [],
    purchasedAt: subDays(now, 400),
    expiresAt: addDays(now, 330),
    price: { amountMinor: clipchamp.prices.USD, currency: 'USD' },
  });
  yield* drain();

  const general = DEMO_CATALOGUE.filter((p) => p.name !== MOVE_PRODUCT && p.name !== CENTRALIZE_PRODUCT);
  const big = productOf(BIG_PRODUCT);
  const others = general.filter((p) => p.id !== big.id);
  for (const product of general) {
    for (let c = 0; c < 2; c++) {
      subscription({
        id: uuid(ids),
        productId: product.id,
        purchaser: null,
        licenses: Math.ceil(size / 50),
        users: nextUsers(Math.floor(size / 100)),
        purchasedAt: subDays(now, 500 + c),
        expiresAt: addDays(now, 200 + c),
        price: { amountMinor: product.prices.USD, currency: 'USD' },
      });
    }
  }

  userCursor = 20_000 % people;
  const bigProduct = { id: big.id, subscriptions: 0, licenses: 0 };
  const remaining = size - counts.subscriptions;
  for (let k = 0; k < remaining; k++) {
    const isBig = random.float() < 0.1;
    const product = isBig ? big : others[Math.floor(random.float() * others.length)]!;
    const zero = random.float() < 0.05;
    const userCount = zero ? 0 : isBig ? random.int(1, 69) : random.int(1, 15);
    const purchasedAt = new Date(now.getTime() - Math.floor(random.float() * 3 * 365 * DAY_MS));
    const cancelled = random.float() < 0.15;
    const isTrial = !cancelled && random.float() < 0.05;
    const cancelledAt = cancelled ? new Date(Math.min(now.getTime() - DAY_MS, purchasedAt.getTime() + random.int(1, 300) * DAY_MS)) : undefined;
    const expiresAt = cancelled
      ? new Date(purchasedAt.getTime() + 365 * DAY_MS)
      : new Date(now.getTime() + 3_600_000 + Math.floor(random.float() * 365 * DAY_MS));
    const currencies = Object.keys(product.prices) as Array<keyof typeof product.prices>;
    const currency = currencies[Math.floor(random.float() * currencies.length)]!;
    const id = uuid(ids);
    const purchaser = random.int(0, purchasers - 1);
    subscription({
      id,
      productId: product.id,
      purchaser,
      licenses: userCount + random.int(0, 3),
      users: nextUsers(userCount),
      purchasedAt,
      expiresAt,
      price: { amountMinor: isTrial ? 0 : (product.prices[currency] as number), currency },
      isTrial,
      ...(cancelledAt ? { cancelledAt } : {}),
    });
    if (isBig && !cancelled) {
      bigProduct.subscriptions += 1;
      bigProduct.licenses += userCount;
    }
    if (k === Math.floor(remaining / 2)) {
      facts.showId = id;
      facts.purchaserEmail = person(purchaser)[2];
    }
    if (out.length > 0) yield* drain();
  }
  batches.flush();
  yield* drain();

  facts.size = size;
  facts.counts = counts;
  facts.bigProduct = bigProduct;
}

export function completeFacts(facts: Partial<TenantFacts>): TenantFacts {
  const missing = (['size', 'counts', 'purchaserEmail', 'showId', 'moveFrom', 'moveTo', 'centralizeCentral', 'bigProduct'] as const).filter(
    (k) => facts[k] === undefined,
  );
  if (missing.length > 0) throw new Error(`the tenant generator did not finish: ${missing.join(', ')} unknown`);
  return facts as TenantFacts;
}
