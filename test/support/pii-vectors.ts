/**
 * Independent implementations of the check algorithms, used to GENERATE valid vectors for the PII
 * tests and the benchmark corpus. Written apart from src/services/pii/detector.ts on purpose: a mistake in
 * the detector's algorithm is not mirrored here.
 */

/** GB 11643-1999: weights 2^(17-i) mod 11, check = "10X98765432"[sum mod 11]. */
export function idCheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  [...first17].forEach((ch, i) => {
    sum += Number(ch) * (weights[i] ?? 0);
  });
  return '10X98765432'[sum % 11] ?? '?';
}

/** A valid 18-character resident ID for an area code, birth date (YYYYMMDD) and 3-digit sequence. */
export function makeId(area: string, birth: string, sequence: string): string {
  const first17 = area + birth + sequence;
  return first17 + idCheckChar(first17);
}

/** Same ID with a wrong check character. */
export function breakIdCheck(id: string): string {
  const right = id.charAt(17);
  const wrong = right === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

/** Luhn check digit for a payload (the digits without the check digit). */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  const digits = [...payload].reverse();
  digits.forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return String((10 - (sum % 10)) % 10);
}

/** A Luhn-valid number of `length` digits starting with `prefix` (rest filled from `fill`). */
export function makeCard(prefix: string, length: number, fill = '1234567890123456789'): string {
  const payload = (prefix + fill).slice(0, length - 1);
  return payload + luhnCheckDigit(payload);
}

/** The same number with its last digit changed, so it fails Luhn. */
export function breakLuhn(card: string): string {
  const last = Number(card.charAt(card.length - 1));
  return card.slice(0, -1) + String((last + 1) % 10);
}

/** GB 32100-2015 check character. */
export function creditCodeCheckChar(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  [...first17].forEach((ch, i) => {
    sum += chars.indexOf(ch) * (weights[i] ?? 0);
  });
  return chars[(31 - (sum % 31)) % 31] ?? '?';
}

export function makeCreditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

/** ASCII digits and letters to their full-width forms (１３８…, Ｘ). */
export function toFullWidth(text: string): string {
  return text.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}
