// createKeyFilter: directory markers never become records; include/exclude globs apply to the key relative
// to the prefix; dotfiles are ordinary files; keys with glob-ish or odd characters are data, not patterns.
import { describe, expect, it } from 'vitest';
import { createKeyFilter } from '../../../src/sync/key-filter.ts';

describe('createKeyFilter: directory markers', () => {
  const all = createKeyFilter('', [], []);

  it.each(['dir/', 'a/b/c/', '/', 'photos/2024/'])('drops the folder marker %j', (key) => {
    expect(all(key)).toBe(false);
  });

  it.each(['dir', 'a/b/c', 'dir/file', 'dir/.keep'])('keeps the file %j', (key) => {
    expect(all(key)).toBe(true);
  });

  it('drops folder markers even when an include glob would match them', () => {
    expect(createKeyFilter('', ['**'], [])('photos/')).toBe(false);
  });
});

describe('createKeyFilter: include and exclude relative to the prefix', () => {
  const f = createKeyFilter('photos/', ['*.jpg', '**/*.png'], ['**/tmp/**', '*skip*']);

  it.each([
    ['photos/a.jpg', true],
    // "*" does not cross "/": a.jpg one level down is not matched by "*.jpg".
    ['photos/sub/a.jpg', false],
    ['photos/b.png', true],
    ['photos/sub/deeper/b.png', true],
    ['photos/x/tmp/y.png', false],
    ['photos/skipme.jpg', false],
    ['photos/a.gif', false],
  ])('%j -> %s', (key, want) => {
    expect(f(key)).toBe(want);
  });

  it('matches globs against the part after the prefix, not the whole key', () => {
    // "photos/*.jpg" would be the whole-key glob; relative to the prefix it must not match.
    const g = createKeyFilter('photos/', ['photos/*.jpg'], []);
    expect(g('photos/a.jpg')).toBe(false);
    expect(g('photos/photos/a.jpg')).toBe(true);
  });

  it('exclude wins over include', () => {
    const g = createKeyFilter('', ['*.jpg'], ['secret.jpg']);
    expect(g('public.jpg')).toBe(true);
    expect(g('secret.jpg')).toBe(false);
  });

  it('with only excludes, everything else passes', () => {
    const g = createKeyFilter('p/', [], ['*.tmp']);
    expect(g('p/a.txt')).toBe(true);
    expect(g('p/a.tmp')).toBe(false);
    expect(g('p/d/a.tmp')).toBe(true);
  });

  it('matches relative to a prefix given without a trailing slash', () => {
    // --prefix photos --include '*.jpg' must take photos/a.jpg (the relative key must not start with "/").
    const g = createKeyFilter('photos', ['*.jpg'], []);
    expect(g('photos/a.jpg')).toBe(true);
  });
});

describe('createKeyFilter: dotfiles', () => {
  it('treats dotfiles and dot-folders as ordinary files for "*" and "**"', () => {
    const g = createKeyFilter('', ['*.jpg', '**/*.png'], []);
    expect(g('.hidden.jpg')).toBe(true);
    expect(g('.git/config.png')).toBe(true);
    expect(g('a/.b/c.png')).toBe(true);
  });

  it('can exclude dotfiles explicitly', () => {
    const g = createKeyFilter('', [], ['**/.*', '.*']);
    expect(g('.env')).toBe(false);
    expect(g('a/.DS_Store')).toBe(false);
    expect(g('a/b.txt')).toBe(true);
  });
});

describe('createKeyFilter: odd keys', () => {
  const odd = [
    'a b.jpg',
    'a#1.jpg',
    'what?.jpg',
    '100%.jpg',
    'a+b.jpg',
    '[x].jpg',
    '{a,b}.jpg',
    '!bang.jpg',
    'ü日本🎉.jpg',
    'line\nbreak.jpg',
    'tab\there.jpg',
    'back\\slash.jpg',
  ];

  it.each(odd)('passes %j with no globs', (name) => {
    expect(createKeyFilter('p/', [], [])(`p/${name}`)).toBe(true);
  });

  it.each(odd)('matches %j with "*.jpg"', (name) => {
    expect(createKeyFilter('p/', ['*.jpg'], [])(`p/${name}`)).toBe(true);
  });

  it.each(odd)('excludes %j with "**"', (name) => {
    expect(createKeyFilter('p/', [], ['**'])(`p/${name}`)).toBe(false);
  });

  it('excludes a key with a newline under an excluded folder ("tmp/**")', () => {
    // Globstar must cross any character but "/", including "\n", or such keys slip past an exclude.
    const g = createKeyFilter('', [], ['tmp/**']);
    expect(g('tmp/a\nb.txt')).toBe(false);
    expect(g('tmp/ok.txt')).toBe(false);
  });

  it('includes a key with a newline by a "name*" glob', () => {
    expect(createKeyFilter('', ['a*'], [])('a\nb')).toBe(true);
  });

  it('treats the characters of a key literally: "[x].jpg" is not a character class against "x.jpg"', () => {
    // Exclude the literal name; an unrelated key that a class would match must stay.
    const g = createKeyFilter('', [], ['\\[x\\].jpg']);
    expect(g('[x].jpg')).toBe(false);
    expect(g('x.jpg')).toBe(true);
  });
});
