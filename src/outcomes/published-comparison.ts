import { CsvSyntaxError, parseCsv } from '../diary/csv.js';

export interface PublishedFigure {
  key: string;
  /** As printed: "66.3", "10.0", "80;60;40", "T7, T8". */
  published: string;
  where: string;
  note?: string;
}

export type ComparisonStatus = 'match' | 'differs' | 'not-in-data';

export interface ComparisonRow extends PublishedFigure {
  recomputed: string | null;
  status: ComparisonStatus;
  /** Why it differs or cannot be compared. */
  reason?: string;
}

export class PublishedFileError extends Error {}

function decimalsOf(text: string): number {
  const m = /\.(\d+)$/.exec(text.trim());
  return m ? m[1]!.length : 0;
}

function isNumberText(text: string): boolean {
  return /^-?\d+(?:\.\d+)?$/.test(text.trim());
}

function lookup(report: unknown, key: string): { found: boolean; value: unknown } {
  let node: unknown = report;
  for (const part of key.split('.')) {
    // A null on the way (no costs recorded at all) means the data lacks the figure, not a bad key.
    if (node === null) return { found: true, value: null };
    if (typeof node !== 'object' || !(part in (node as object))) return { found: false, value: undefined };
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

function fixed(x: number, decimals: number): string {
  // Round half away from zero on the decimal value, not its binary neighbour (2.345 → 2.35).
  const scaled = Math.abs(x) * 10 ** decimals;
  const rounded = Math.round(Number(scaled.toPrecision(12))) / 10 ** decimals;
  const text = rounded.toFixed(decimals);
  return x < 0 && rounded !== 0 ? `-${text}` : text;
}

function compareOne(fig: PublishedFigure, report: unknown): ComparisonRow {
  const { found, value } = lookup(report, fig.key);
  if (!found)
    throw new PublishedFileError(
      `published figure '${fig.key}' (${fig.where}) names nothing in the report; check the key`,
    );
  if (
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0 && fig.published.trim() !== '')
  ) {
    return { ...fig, recomputed: null, status: 'not-in-data', reason: 'the data has no values for this figure' };
  }
  const published = fig.published.trim();
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' || v === null)) {
    const parts = published.split(';').map((s) => s.trim());
    const decimals = Math.max(0, ...parts.map(decimalsOf));
    const mine = (value as (number | null)[]).map((v) => (v === null ? 'missing' : fixed(v, decimals)));
    const theirs = parts.map((s) => (isNumberText(s) ? fixed(Number(s), decimals) : s));
    const same = [...mine].sort().join(';') === [...theirs].sort().join(';');
    return {
      ...fig,
      recomputed: mine.join(';'),
      status: same ? 'match' : 'differs',
      ...(same ? {} : { reason: 'the lists differ (compared in any order)' }),
    };
  }
  if (Array.isArray(value)) {
    const mine = (value as unknown[]).map(String);
    const theirs = published.split(/[,;]/).map((s) => s.trim().toUpperCase());
    const same =
      [...mine]
        .map((s) => s.toUpperCase())
        .sort()
        .join(',') === [...theirs].sort().join(',');
    return {
      ...fig,
      recomputed: mine.join(', '),
      status: same ? 'match' : 'differs',
      ...(same ? {} : { reason: 'the items differ' }),
    };
  }
  if (typeof value === 'number') {
    if (!isNumberText(published))
      throw new PublishedFileError(`published figure '${fig.key}' is '${fig.published}', not a number`);
    const decimals = decimalsOf(published);
    const mine = fixed(value, decimals);
    if (mine === fixed(Number(published), decimals)) return { ...fig, recomputed: mine, status: 'match' };
    const unit = 10 ** -decimals;
    const lastDigit = Math.abs(Number(mine) - Number(published)) <= unit + 1e-9;
    const precise = Number(value.toPrecision(6)).toString();
    return {
      ...fig,
      recomputed: mine,
      status: 'differs',
      reason: lastDigit ? `last digit: recomputed ${precise} rounds to ${mine}` : `recomputed ${precise}`,
    };
  }
  const mine = String(value);
  const same = mine.toUpperCase() === published.toUpperCase();
  return { ...fig, recomputed: mine, status: same ? 'match' : 'differs' };
}

/**
 * Published figures next to recomputed ones. A figure names a path in the report (`age.mean`,
 * `groups.drez.nrs.final.mean`, `side.L`), the value as printed, and where it was printed. A number
 * matches when the recomputed value, rounded to the printed number of decimals, equals it; a list
 * (`80;60;40`) matches as a multiset; text matches as a set of comma-separated items.
 */
export function comparePublished(figures: readonly PublishedFigure[], report: unknown): ComparisonRow[] {
  return figures.map((f) => compareOne(f, report));
}

function figureFrom(raw: unknown, where: string): PublishedFigure {
  if (raw === null || typeof raw !== 'object')
    throw new PublishedFileError(`${where}: each figure must be an object with key, published, where`);
  const r = raw as Record<string, unknown>;
  if (typeof r.key !== 'string' || r.key === '')
    throw new PublishedFileError(`${where}: 'key' must be a non-empty string`);
  const p = r.published;
  let published: string;
  if (typeof p === 'string') published = p;
  else if (typeof p === 'number') published = typeof r.decimals === 'number' ? p.toFixed(r.decimals) : String(p);
  else if (Array.isArray(p)) published = p.map(String).join(';');
  else throw new PublishedFileError(`${where}: 'published' must be a string, number or list (figure '${r.key}')`);
  return {
    key: r.key,
    published,
    where: typeof r.where === 'string' ? r.where : '',
    ...(typeof r.note === 'string' ? { note: r.note } : {}),
  };
}

function flatten(obj: Record<string, unknown>, prefix: string): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? flatten(v as Record<string, unknown>, key)
      : [[key, v] as [string, unknown]];
  });
}

/**
 * Reads published figures: JSON (an array of {key, published, where, note}, `{ "figures": [...] }`,
 * or an object of values, flat `{"age.mean": 66.3}` or nested like the report) or CSV with header
 * `key,published,where[,note]` (`value` for `published` also accepted). `file` is used in messages only.
 */
export function parsePublishedFigures(text: string, file: string): PublishedFigure[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new PublishedFileError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(doc) && doc !== null && typeof doc === 'object' && !('figures' in doc)) {
      // A plain object of published values, flat ({"age.mean": 66.3}) or nested like the report.
      return flatten(doc as Record<string, unknown>, '').map(([key, value]) =>
        figureFrom({ key, published: value, where: file }, `${file}: '${key}'`),
      );
    }
    const list = Array.isArray(doc) ? doc : (doc as { figures?: unknown }).figures;
    if (!Array.isArray(list))
      throw new PublishedFileError(`${file}: expected an array of figures, {"figures": [...]} or an object of values`);
    return list.map((f, i) => figureFrom(f, `${file}: figure ${i + 1}`));
  }
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new PublishedFileError(`${file}:${e.line}:${e.column}: ${e.message}`);
    throw e;
  }
  const [header, ...rows] = records;
  const cols = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const k = cols.indexOf('key');
  const v = cols.indexOf('published') >= 0 ? cols.indexOf('published') : cols.indexOf('value');
  if (k < 0 || v < 0)
    throw new PublishedFileError(
      `${file}:1: the header must name at least 'key' and 'published' (and optionally 'where', 'note')`,
    );
  const w = cols.indexOf('where');
  const n = cols.indexOf('note');
  return rows.map((r) => {
    const key = r.fields[k]?.trim() ?? '';
    if (!key) throw new PublishedFileError(`${file}:${r.line}: the key is empty`);
    const note = n >= 0 ? r.fields[n]?.trim() : undefined;
    return {
      key,
      published: r.fields[v]?.trim() ?? '',
      where: w >= 0 ? (r.fields[w]?.trim() ?? '') : '',
      ...(note ? { note } : {}),
    };
  });
}
