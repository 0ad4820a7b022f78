// Tags are a JSON string on the wire. Writers send either plain arrays per group ({"user":["cat"]}, the SDK
// example) or add/remove edits ({"user":{"add":[..],"remove":[..]}}, the doc text); readers get plain
// arrays per group ({"ai":[..],"user":[..],"user-delete-ai-tags":[..]}). The emulator stores the reader
// form, applying edits to what is stored: a plain array replaces its group, add/remove edit it.
export type TagGroups = Record<string, string[]>;

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Parses the stored (reader) form; tolerant because it only reads what this module wrote. */
export function parseStoredTags(stored: string | undefined): TagGroups {
  if (!stored) return {};
  try {
    const parsed: unknown = JSON.parse(stored);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: TagGroups = {};
    for (const [group, list] of Object.entries(parsed)) if (isStringArray(list)) out[group] = list;
    return out;
  } catch {
    return {};
  }
}

/** Applies a Tags value from a request to the stored tags; returns the new stored string or an error text. */
export function applyTags(stored: string | undefined, patch: string): { tags: string } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(patch);
  } catch {
    return { error: 'Tags must be a JSON object string' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { error: 'Tags must be a JSON object string' };
  }
  const groups = parseStoredTags(stored);
  for (const [group, value] of Object.entries(parsed)) {
    if (isStringArray(value)) {
      groups[group] = [...new Set(value)];
      continue;
    }
    if (typeof value !== 'object' || value === null)
      return { error: `Tags group "${group}" must be an array or {add, remove}` };
    const { add = [], remove = [] } = value as { add?: unknown; remove?: unknown };
    if (!isStringArray(add) || !isStringArray(remove)) {
      return { error: `Tags group "${group}": add and remove must be arrays of strings` };
    }
    const removed = new Set(remove);
    const next = (groups[group] ?? []).filter((t) => !removed.has(t));
    for (const t of add) if (!next.includes(t)) next.push(t);
    groups[group] = next;
  }
  return { tags: JSON.stringify(groups) };
}

/** The group of algorithm tags a user removed: they stay in `ai` but no longer count (SDK doc). */
export const USER_DELETED_AI_TAGS = 'user-delete-ai-tags';

/**
 * The effective tags (`tags.all` of the SDK doc): algorithm tags minus those in `user-delete-ai-tags`,
 * plus user tags. QueryTags* filters, `Tags.all` and QueryType=TAG look at these.
 */
export function allTags(groups: TagGroups): string[] {
  const deleted = new Set(groups[USER_DELETED_AI_TAGS] ?? []);
  return [...(groups.ai ?? []).filter((t) => !deleted.has(t)), ...(groups.user ?? [])];
}
