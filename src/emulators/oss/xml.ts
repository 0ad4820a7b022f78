// The few XML helpers the emulator needs: escaping for responses and a tolerant reader for the one
// request body OSS clients send us (DeleteMultipleObjects). No dependency: the body shape is fixed.

/**
 * Escapes text for an XML element. `\n` and `\t` stay raw (parsers keep them); `\r` and other control
 * characters become character references, because parsers normalise a raw `\r\n` to `\n`.
 */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"'\u0000-\u0008\u000b-\u001f]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

/** Reverses entity and character-reference escaping; returns undefined on an unknown entity. */
export function xmlUnescape(s: string): string | undefined {
  let bad = false;
  const out = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (_m, ent: string) => {
    if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
    if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const v = named[ent];
    if (v === undefined) bad = true;
    return v ?? '';
  });
  return bad ? undefined : out;
}

/** `<tag>text</tag>` with the text escaped. */
export function el(tag: string, text: string | number | boolean): string {
  return `<${tag}>${xmlEscape(String(text))}</${tag}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface DeleteRequest {
  quiet: boolean;
  keys: string[];
}

/** Parses a `<Delete>` body; undefined when it is not well formed enough to trust. */
export function parseDeleteXml(body: string): DeleteRequest | undefined {
  const root = /<Delete(?:\s[^>]*)?>([\s\S]*)<\/Delete>/.exec(body);
  if (!root) return undefined;
  const inner = root[1] ?? '';
  const quietMatch = /<Quiet>\s*(true|false)\s*<\/Quiet>/i.exec(inner);
  const keys: string[] = [];
  const objectRe = /<Object>([\s\S]*?)<\/Object>/g;
  for (let m = objectRe.exec(inner); m; m = objectRe.exec(inner)) {
    const keyMatch = /<Key>([\s\S]*?)<\/Key>/.exec(m[1] ?? '');
    if (!keyMatch) return undefined;
    const key = xmlUnescape(keyMatch[1] ?? '');
    if (key === undefined) return undefined;
    keys.push(key);
  }
  return { quiet: quietMatch?.[1]?.toLowerCase() === 'true', keys };
}

/** Inner texts of every `<tag>…</tag>` directly or deeply inside `xml`, in document order. */
export function elements(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[1] ?? '');
  return out;
}

/** The unescaped text of the first `<tag>` in `xml`; undefined when absent or badly escaped. */
export function textOf(xml: string, tag: string): string | undefined {
  const inner = elements(xml, tag)[0];
  return inner === undefined ? undefined : xmlUnescape(inner);
}
