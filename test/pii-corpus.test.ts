// The detector over sentences in the wording of published rectification notices: every finding's
// kind and severity, in order, as the corpus expects (positives and negatives).
import { describe, expect, it } from 'vitest';
import { detectPii, maskText } from '../src/services/pii/detector.js';
import { PII_CORPUS } from './support/pii-corpus.js';
import { scoreCorpus } from '../bench/pii.js';

describe('rectification-notice corpus', () => {
  it('has at least 100 sentences, positives and negatives', () => {
    expect(PII_CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(PII_CORPUS.filter((s) => s.expected.length > 0).length).toBeGreaterThanOrEqual(40);
    expect(PII_CORPUS.filter((s) => s.expected.length === 0).length).toBeGreaterThanOrEqual(40);
  });

  it.each(PII_CORPUS.map((sentence) => [sentence.text, sentence.expected] as const))(
    '%s',
    (text, expected) => {
      const findings = detectPii(text);
      expect(findings.map((f) => `${f.kind}:${f.severity}`)).toEqual(expected);
      // A health finding never leaves part of the condition readable.
      const masked = maskText(text, findings);
      for (const word of ['艾滋病', '乙肝', '糖尿病', '抑郁症', '残疾', '梅毒', '尿毒症', '白血病']) {
        if (findings.some((f) => f.kind === 'health') && text.includes(word))
          expect(masked).not.toContain(word);
      }
    },
  );

  it('scores precision and recall 1 on it (what the bench prints)', () => {
    expect(scoreCorpus(PII_CORPUS)).toMatchObject({ precision: 1, recall: 1 });
  });
});
