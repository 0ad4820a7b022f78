// Tokeniser behind the ':' (token match) operator. PAI does not document its analyser; this one
// is deliberately simple and predictable: split on anything that is not a letter or digit,
// lower-case, and make every CJK character its own token (CJK text has no spaces to split on).
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function textTokens(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current !== '') tokens.push(current);
    current = '';
  };
  for (const ch of text.toLowerCase()) {
    if (CJK.test(ch)) {
      flush();
      tokens.push(ch);
    } else if (LETTER_OR_DIGIT.test(ch)) {
      current += ch;
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

/** True when `needle` occurs in `haystack` as a contiguous run of whole tokens. */
export function containsTokenSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    if (needle.every((token, i) => haystack[start + i] === token)) return true;
  }
  return false;
}
