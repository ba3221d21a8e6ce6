// Pure rules of second-level domains: reading a name a member typed against the zones (the city's
// zibo.gov.cn and each 区县's own), reading a zone, and the host a directory website answers on.
// No I/O; the words are the handlers' views.

/** The city's zone (www.zibo.gov.cn's parent): always there, approved by the city's supervisors. */
export const CITY_ZONE = 'zibo.gov.cn';

export const domainRef = (id: number): string => `D${id}`;

/** `jyj` in `zibo.gov.cn` → `jyj.zibo.gov.cn` */
export const nameOf = (label: string, zone: string = CITY_ZONE): string => `${label}.${zone}`;

const LABEL = /^[a-z0-9-]{1,63}$/;

/** Why a typed name is not one we can allocate. */
export type NameProblem =
  | { kind: 'empty' }
  /** 中文 or xn-- labels: government site names are ASCII (国办函〔2018〕55号). */
  | { kind: 'idn'; input: string }
  | { kind: 'chars' }
  | { kind: 'hyphen' }
  | { kind: 'long' }
  /** a.b.zibo.gov.cn: only one label under a zone. */
  | { kind: 'depth'; input: string }
  /** Not under any zone we allocate in. */
  | { kind: 'zone'; zones: string[] }
  /** A label the zone's own services answer on (www.zibo.gov.cn is the portal). */
  | { kind: 'reserved'; label: string };

/**
 * Labels no unit is given, in any zone: the zone's portal (www) and the names mail and name servers
 * answer on. A unit asking for them is a mistake (or worse), whatever the directory holds today.
 */
export const RESERVED_LABELS: ReadonlySet<string> = new Set([
  'www',
  'mail',
  'smtp',
  'pop',
  'pop3',
  'imap',
  'mx',
  'ns',
  'ns1',
  'ns2',
  'ns3',
  'ns4',
  'dns',
  'ftp',
]);

export type NameRead = { ok: true; label: string; zone: string } | ({ ok: false } & NameProblem);

/** NFKC, trimmed, lower case, without a trailing dot: how every name and zone is compared. */
export function normalizeName(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase().replace(/\.$/, '');
}

function labelProblem(label: string, input: string): NameProblem | null {
  if (label === '') return { kind: 'empty' };
  if (/[^ -~]/.test(label) || label.startsWith('xn--')) return { kind: 'idn', input };
  if (label.length > 63) return { kind: 'long' };
  if (!LABEL.test(label)) return { kind: 'chars' };
  if (label.startsWith('-') || label.endsWith('-')) return { kind: 'hyphen' };
  if (RESERVED_LABELS.has(label)) return { kind: 'reserved', label };
  return null;
}

/**
 * `jyj`, `JYJ`, `jyj.zibo.gov.cn.` or `jyj.zhangdian.gov.cn` → label and zone. A bare label is in
 * `defaultZone`; a full name in the longest zone it ends with. One label only, ASCII only.
 */
export function readName(input: string, zones: readonly string[], defaultZone: string): NameRead {
  const text = normalizeName(input);
  if (text === '') return { ok: false, kind: 'empty' };
  if (/[^ -~]/.test(text) || text.split('.').some((part) => part.startsWith('xn--'))) {
    return { ok: false, kind: 'idn', input: input.trim() };
  }
  let label = text;
  let zone = defaultZone;
  if (text.includes('.')) {
    const under = [...zones]
      .sort((a, b) => b.length - a.length)
      .find((candidate) => text === candidate || text.endsWith(`.${candidate}`));
    if (!under) return { ok: false, kind: 'zone', zones: [...zones] };
    zone = under;
    label = text === under ? '' : text.slice(0, -(under.length + 1));
    if (label.includes('.')) return { ok: false, kind: 'depth', input: input.trim() };
  }
  const problem = labelProblem(label, input.trim());
  return problem ? { ok: false, ...problem } : { ok: true, label, zone };
}

/** A zone a supervisor configures: two or more ASCII labels, e.g. zhangdian.gov.cn. */
export function readZone(input: string): { ok: true; zone: string } | { ok: false } {
  const text = normalizeName(input).replace(/^\*\./, '');
  const labels = text.split('.');
  if (labels.length < 2 || text.length > 190) return { ok: false };
  const fine = labels.every((label) => LABEL.test(label) && !label.startsWith('-') && !label.endsWith('-'));
  return fine && !text.split('.').some((label) => label.startsWith('xn--'))
    ? { ok: true, zone: text }
    : { ok: false };
}

/**
 * The host a directory website answers on, from its `domain` (a host, maybe with a port) or its
 * home address (a full URL): lower case, no port, no trailing dot; null for an IP address.
 */
export function siteHost(address: string | null | undefined): string | null {
  if (!address) return null;
  let text = address.trim().toLowerCase();
  if (text === '') return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) text = `http://${text}`;
  let host: string;
  try {
    host = new URL(text).hostname;
  } catch {
    return null;
  }
  host = host.replace(/\.$/, '');
  if (/^\d+(\.\d+){3}$/.test(host) || host.startsWith('[')) return null;
  return host || null;
}
