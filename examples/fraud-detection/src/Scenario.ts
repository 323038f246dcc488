import type { Rule } from './Alert.js';
import { COUNTRIES, distanceKm } from './Countries.js';
import { Random } from './Random.js';
import type { BlockedCard, Merchant, Transaction } from './Transaction.js';

export interface ScenarioOptions {
  /** The same seed gives the same scenario (ids, amounts, planted patterns); default 42. */
  readonly seed?: number;
  /** About this many transactions in all (the exact count depends on the seed); default 30,000. */
  readonly transactions?: number;
  /** Cardholders with ordinary traffic; default 2,000. */
  readonly cards?: number;
  /** Planted fraud patterns per transaction, spread evenly over the five rules; default 0.003. */
  readonly fraudShare?: number;
  /** Genuine but unusually large purchases per transaction (the amount-spike rule flags them); default 0.0003. */
  readonly decoyShare?: number;
  /** Malformed records (bad JSON, missing or wrong fields) per transaction, for the dead-letter queue; default 0.0005. */
  readonly malformedShare?: number;
  /** Event time of the first transaction, epoch ms, floored to the minute; default: `spanMs` before now. */
  readonly startMs?: number;
  /** Event time the transactions span; default 2 hours. */
  readonly spanMs?: number;
}

/** A planted fraud pattern: the rule that should catch it, the card, and the transactions it planted. */
export interface PlantedPattern {
  readonly rule: Rule;
  readonly card: string;
  readonly transactionIds: readonly string[];
  readonly description: string;
}

/** A record on `transactions` that is not a valid transaction: the application sends it to the dead-letter queue. */
export interface MalformedRecord {
  readonly card: string;
  readonly timestamp: number;
  readonly payload: string;
  readonly problem: string;
}

/** Everything the generator made, and what it planted: the ground truth the summary checks alerts against. */
export interface Scenario {
  readonly seed: number;
  readonly startMs: number;
  readonly merchants: readonly Merchant[];
  readonly blockedCards: readonly BlockedCard[];
  /** In event-time order (ties: by id); ids are assigned in this order. */
  readonly transactions: readonly Transaction[];
  readonly planted: readonly PlantedPattern[];
  /** Ids of genuine large purchases: an amount-spike alert on one of them is a false alert. */
  readonly decoys: readonly string[];
  /** Planted malformed records, in event-time order (they go between the transactions of the same time). */
  readonly malformed: readonly MalformedRecord[];
}

const MINUTE = 60_000;
const HOME_WEIGHTS: Readonly<Record<string, number>> = {
  US: 30,
  GB: 10,
  DE: 9,
  FR: 8,
  CA: 6,
  ES: 5,
  IT: 5,
  NL: 4,
  BR: 5,
  MX: 4,
  IN: 4,
  JP: 4,
  AU: 3,
  SG: 1,
  ZA: 1,
  NG: 1,
};
const CATEGORIES = [
  'grocery',
  'restaurant',
  'fuel',
  'coffee',
  'fashion',
  'online-retail',
  'pharmacy',
  'electronics',
  'travel',
  'gaming',
];
const CATEGORY_WEIGHTS = [25, 18, 10, 14, 7, 10, 6, 4, 3, 3];
const RISKY_CATEGORIES = ['crypto-exchange', 'gift-cards', 'online-casino'];
const NAMES = ['Acme', 'Blue', 'Corner', 'Delta', 'Eagle', 'Fresh', 'Golden', 'Harbor', 'Iris', 'Juniper'];
/** Merchants per country and category. */
const MERCHANTS_PER_CATEGORY = 2;

interface Draft {
  card: string;
  merchant: Merchant;
  amount: number;
  timestamp: number;
  seq: number;
  /** Which planted pattern (index) or decoy made it; undefined for ordinary traffic. */
  planted?: number;
  decoy?: boolean;
}

interface Cardholder {
  readonly card: string;
  readonly home: string;
  readonly typical: number;
  /** Ordinary traffic, in time order. */
  readonly drafts: Draft[];
}

/**
 * Generates a day-in-the-life of a card network, compressed: ordinary cardholders (each with a home country,
 * a typical spend and a few trips abroad), merchants with risk scores, a list of blocked cards, and planted
 * fraud: card-testing bursts (velocity), large purchases on a card's normal spend (amount spike), a card used
 * minutes apart on two continents (impossible travel), stolen cards in use (blocked card) and payments to
 * high-risk merchants (merchant risk). Ordinary traffic is built never to trip a rule (at least 3 minutes
 * between a card's payments, amounts within 0.5–2x its typical spend, trips abroad an hour or more apart), so
 * every alert is explained by the planted list, or by a decoy: a genuine large purchase the spike rule flags.
 */
export function generateScenario(options: ScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 42;
  const target = options.transactions ?? 30_000;
  const cardCount = options.cards ?? 2_000;
  const spanMs = options.spanMs ?? 2 * 60 * MINUTE;
  const startMs = Math.floor((options.startMs ?? Date.now() - spanMs - 5 * MINUTE) / MINUTE) * MINUTE;
  const random = new Random(seed);
  let seq = 0;

  const countries = Object.keys(COUNTRIES);
  const merchants: Merchant[] = [];
  const byCountryCategory = new Map<string, Merchant[]>();
  const risky = new Map<string, Merchant>();
  for (const country of countries) {
    for (const category of CATEGORIES) {
      for (let i = 0; i < MERCHANTS_PER_CATEGORY; i++) {
        const merchant: Merchant = {
          id: `m-${country.toLowerCase()}-${String(merchants.length).padStart(4, '0')}`,
          name: `${random.pick(NAMES)} ${category} ${country}`,
          category,
          country,
          riskScore: Math.min(70, Math.round(random.logNormal(12, 0.7))),
        };
        merchants.push(merchant);
        const key = `${country}/${category}`;
        byCountryCategory.set(key, [...(byCountryCategory.get(key) ?? []), merchant]);
      }
    }
    const category = random.pick(RISKY_CATEGORIES);
    const merchant: Merchant = {
      id: `m-${country.toLowerCase()}-${String(merchants.length).padStart(4, '0')}`,
      name: `${random.pick(NAMES)} ${category} ${country}`,
      category,
      country,
      riskScore: random.int(85, 99),
    };
    merchants.push(merchant);
    risky.set(country, merchant);
  }
  const merchantIn = (country: string, category: string): Merchant =>
    random.pick(byCountryCategory.get(`${country}/${category}`)!);
  const cents = (amount: number): number => Math.max(1, Math.round(amount * 100)) / 100;

  // Ordinary cardholders.
  const homes = Object.keys(HOME_WEIGHTS);
  const homeWeights = homes.map((c) => HOME_WEIGHTS[c]!);
  const meanGap = (spanMs * cardCount) / target;
  const holders: Cardholder[] = [];
  for (let i = 0; i < cardCount; i++) {
    const home = random.weighted(homes, homeWeights);
    const holder: Cardholder = {
      card: `card-${String(i + 1).padStart(5, '0')}`,
      home,
      typical: Math.min(400, Math.max(8, random.logNormal(45, 0.6))),
      drafts: [],
    };
    // One in ten travels: from `tripAt` on, it pays abroad, at least an hour after its last payment at home.
    const trip = random.next() < 0.1 ? random.pick(countries.filter((c) => c !== home)) : undefined;
    const tripAt = random.between(0.2, 0.8) * spanMs;
    let t = random.exponential(meanGap);
    let abroad = false;
    while (t < spanMs) {
      if (trip && !abroad && t >= tripAt) {
        abroad = true;
        const last = holder.drafts.at(-1)?.timestamp ?? Number.NEGATIVE_INFINITY;
        t = Math.max(t, last - startMs + 60 * MINUTE);
        if (t >= spanMs) break;
      }
      const country = abroad && trip ? trip : home;
      const factor = Math.min(2, Math.max(0.5, random.logNormal(1, 0.35)));
      holder.drafts.push({
        card: holder.card,
        merchant: merchantIn(country, random.weighted(CATEGORIES, CATEGORY_WEIGHTS)),
        amount: cents(holder.typical * factor),
        timestamp: startMs + Math.round(t),
        seq: seq++,
      });
      t += 3 * MINUTE + random.exponential(Math.max(MINUTE, meanGap - 3 * MINUTE));
    }
    holders.push(holder);
  }

  // Planted patterns and decoys, each on its own card, after the card's 6th payment and before 85% of the span
  // (so the windows that catch them close while traffic still flows).
  const patternCount = Math.max(5, Math.round(target * (options.fraudShare ?? 0.003)));
  const decoyCount = Math.round(target * (options.decoyShare ?? 0.0003));
  const extra: Draft[] = [];
  const plantedDrafts: { rule: Rule; card: string; drafts: Draft[]; description: string }[] = [];
  const blockedCards: BlockedCard[] = [];
  const used = new Set<string>();
  const candidate = (): { holder: Cardholder; at: Draft } => {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const holder = random.pick(holders);
      if (used.has(holder.card) || holder.drafts.length < 8) continue;
      const index = random.int(6, holder.drafts.length - 2);
      const at = holder.drafts[index]!;
      if (at.timestamp - startMs < 0.1 * spanMs || at.timestamp - startMs > 0.85 * spanMs) continue;
      used.add(holder.card);
      return { holder, at };
    }
    throw new Error(
      `generateScenario: too few cards with traffic for ${patternCount} patterns; raise 'cards'`,
    );
  };
  const plantedTx = (draft: Omit<Draft, 'seq'>): Draft => {
    const full = { ...draft, seq: seq++ };
    extra.push(full);
    return full;
  };
  const rules: Rule[] = ['velocity', 'amount-spike', 'impossible-travel', 'blocked-card', 'merchant-risk'];
  for (let p = 0; p < patternCount; p++) {
    const rule = rules[p % rules.length]!;
    if (rule === 'blocked-card') {
      // A stolen card (no ordinary traffic: its owner has it blocked) used by the thief once or twice.
      const card = `card-9${String(p).padStart(4, '0')}`;
      const country = random.weighted(homes, homeWeights);
      blockedCards.push({ card, reason: 'stolen', blockedAt: startMs - 5 * MINUTE });
      let t = startMs + random.between(0.15, 0.8) * spanMs;
      const drafts: Draft[] = [];
      for (let n = random.int(1, 2); n > 0; n--) {
        drafts.push(
          plantedTx({
            card,
            merchant: merchantIn(country, random.pick(['electronics', 'fashion', 'fuel'])),
            amount: cents(random.between(40, 600)),
            timestamp: Math.round(t),
            planted: p,
          }),
        );
        t += random.between(5, 30) * MINUTE;
      }
      plantedDrafts.push({ rule, card, drafts, description: `stolen card used ${drafts.length}x` });
      continue;
    }
    const { holder, at } = candidate();
    const country = at.merchant.country;
    const soon = (): number => at.timestamp + Math.round(random.between(20_000, 90_000));
    if (rule === 'velocity') {
      // Card testing: six small online payments within 25 seconds.
      const begin = soon();
      const drafts = Array.from({ length: 6 }, (_, n) =>
        plantedTx({
          card: holder.card,
          merchant: merchantIn(country, random.pick(['online-retail', 'gaming'])),
          amount: cents(random.between(1, 5)),
          timestamp: begin + n * 5_000,
          planted: p,
        }),
      );
      plantedDrafts.push({ rule, card: holder.card, drafts, description: '6 card-testing payments in 25 s' });
    } else if (rule === 'amount-spike') {
      const draft = plantedTx({
        card: holder.card,
        merchant: merchantIn(country, 'electronics'),
        amount: cents(holder.typical * random.between(20, 40)),
        timestamp: soon(),
        planted: p,
      });
      plantedDrafts.push({
        rule,
        card: holder.card,
        drafts: [draft],
        description: 'a purchase 20-40x the usual',
      });
    } else if (rule === 'impossible-travel') {
      // The card's real payment at `at`, then minutes later a payment at least 3,000 km away.
      const far = countries.filter((c) => distanceKm(country, c) >= 3_000);
      const draft = plantedTx({
        card: holder.card,
        merchant: merchantIn(random.pick(far), random.pick(['electronics', 'fashion', 'restaurant'])),
        amount: cents(holder.typical * random.between(0.5, 2)),
        timestamp: at.timestamp + Math.round(random.between(2, 8) * MINUTE),
        planted: p,
      });
      plantedDrafts.push({
        rule,
        card: holder.card,
        drafts: [at, draft],
        description: `paid in ${country} and ${draft.merchant.country} minutes apart`,
      });
    } else {
      const draft = plantedTx({
        card: holder.card,
        merchant: risky.get(country)!,
        amount: cents(holder.typical * random.between(0.5, 2)),
        timestamp: soon(),
        planted: p,
      });
      plantedDrafts.push({
        rule,
        card: holder.card,
        drafts: [draft],
        description: 'a payment to a high-risk merchant',
      });
    }
  }
  const decoyDrafts: Draft[] = [];
  for (let d = 0; d < decoyCount; d++) {
    const { holder, at } = candidate();
    decoyDrafts.push(
      plantedTx({
        card: holder.card,
        merchant: merchantIn(at.merchant.country, random.pick(['electronics', 'travel'])),
        amount: cents(holder.typical * random.between(12, 18)),
        timestamp: at.timestamp + Math.round(random.between(20_000, 90_000)),
        decoy: true,
      }),
    );
  }
  // Cards blocked by their owners that nobody uses (the table holds more than the cards it catches).
  for (let b = 0; b < 40; b++) {
    blockedCards.push({
      card: `card-8${String(b).padStart(4, '0')}`,
      reason: random.pick(['lost', 'compromised'] as const),
      blockedAt: startMs - 5 * MINUTE,
    });
  }

  // Malformed records from the card network: broken JSON, a missing field, an amount as text, an unknown country.
  const malformed: MalformedRecord[] = [];
  const malformedCount = Math.round(target * (options.malformedShare ?? 0.0005));
  for (let m = 0; m < malformedCount; m++) {
    const holder = random.pick(holders.filter((h) => h.drafts.length > 0));
    const at = random.pick(holder.drafts);
    const fields = {
      id: `bad-${String(m + 1).padStart(4, '0')}`,
      card: holder.card,
      merchant: at.merchant.id,
      category: at.merchant.category,
      country: at.merchant.country,
      amount: at.amount,
      timestamp: at.timestamp,
    };
    const kind = m % 4;
    const json = JSON.stringify(fields);
    const [payload, problem] =
      kind === 0
        ? [json.slice(0, Math.floor(json.length / 2)), 'truncated JSON']
        : kind === 1
          ? [JSON.stringify({ ...fields, merchant: undefined }), 'no merchant']
          : kind === 2
            ? [
                JSON.stringify({ ...fields, amount: at.amount.toFixed(2).replace('.', ',') }),
                'amount as text',
              ]
            : [JSON.stringify({ ...fields, country: 'ZZ' }), 'unknown country'];
    malformed.push({ card: holder.card, timestamp: at.timestamp, payload, problem });
  }
  malformed.sort((a, b) => a.timestamp - b.timestamp);

  const all = [...holders.flatMap((h) => h.drafts), ...extra].sort(
    (a, b) => a.timestamp - b.timestamp || a.seq - b.seq,
  );
  const width = String(all.length).length;
  const ids = new Map<Draft, string>();
  const transactions = all.map((draft, n): Transaction => {
    const id = `tx-${String(n + 1).padStart(Math.max(6, width), '0')}`;
    ids.set(draft, id);
    return {
      id,
      card: draft.card,
      merchant: draft.merchant.id,
      category: draft.merchant.category,
      country: draft.merchant.country,
      amount: draft.amount,
      timestamp: draft.timestamp,
    };
  });
  const planted = plantedDrafts.map(
    (p): PlantedPattern => ({
      rule: p.rule,
      card: p.card,
      transactionIds: p.drafts.map((d) => ids.get(d)!).sort(),
      description: p.description,
    }),
  );
  return {
    seed,
    startMs,
    merchants,
    blockedCards,
    transactions,
    planted,
    decoys: decoyDrafts.map((d) => ids.get(d)!).sort(),
    malformed,
  };
}
