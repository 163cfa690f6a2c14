import { describe, expect, it } from 'vitest';
import { InvalidPathError, validatePath } from '../../../src/index.js';

/** The error validatePath throws for `path`, or a failure if it accepts it. */
function rejection(path: unknown, what?: string): InvalidPathError {
  try {
    validatePath(path, what);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPathError);
    return err as InvalidPathError;
  }
  throw new Error(`${JSON.stringify(path)} was accepted`);
}

describe('validatePath', () => {
  it.each([
    ['/'],
    ['/a'],
    ['/a/b/c'],
    ['/a.b'],
    ['/.a'],
    ['/a/..b'],
    ['/a/...'],
    ['/with space'],
    ['/ünïcödé'],
    ['/\u00a0'], // first code point above the C1 controls
    ['/\ud7ff'], // last code point below the refused range
    ['/\uf900'], // first code point after it
    ['/\uffef'],
    ['/zookeeper/quota'],
  ])('accepts %j and returns it', (path) => {
    expect(validatePath(path)).toBe(path);
  });

  it.each([
    ['', 'path is empty', 0],
    ['a', 'path must start with /', 0],
    ['a/b', 'path must start with /', 0],
    ['./a', 'path must start with /', 0],
    ['/a/', 'path must not end with /', 2],
    ['/a/b/', 'path must not end with /', 4],
    ['//', 'path must not end with /', 1],
    ['//a', 'empty node name', 1],
    ['/a//b', 'empty node name', 3],
    ['/.', 'relative segment "."', 1],
    ['/..', 'relative segment ".."', 1],
    ['/a/./b', 'relative segment "."', 3],
    ['/a/../b', 'relative segment ".."', 3],
    ['/a/..', 'relative segment ".."', 3],
    ['/a\u0000b', 'control character U+0000', 2],
    ['/ab\u0001', 'control character U+0001', 3],
    ['/a\nb', 'control character U+000A', 2],
    ['/a\u001f', 'control character U+001F', 2],
    ['/a/b\u007f', 'control character U+007F', 4],
    ['/\u0085', 'control character U+0085', 1],
    ['/\u009f', 'control character U+009F', 1],
    ['/x\ud800', 'character U+D800 is not allowed', 2],
    ['/x\ue000', 'character U+E000 is not allowed', 2],
    ['/x\uf8ff', 'character U+F8FF is not allowed', 2],
    ['/x\ufff0', 'character U+FFF0 is not allowed', 2],
    ['/x\uffff', 'character U+FFFF is not allowed', 2],
    ['/emoji-\u{1f600}', 'character U+D83D is not allowed', 7],
  ])('refuses %j: %s at index %i', (path, reason, index) => {
    const error = rejection(path, 'get');
    expect(error.message).toBe(`get: invalid path ${JSON.stringify(path)}: ${reason} at index ${index}`);
    expect(error.name).toBe('InvalidPathError');
    expect(error.invalidPath).toBe(path);
    expect(error.path).toBe(path);
    expect(error.position).toBe(index);
  });

  it('names what the path was for, "path" by default', () => {
    expect(rejection('x').message).toBe('path: invalid path "x": path must start with / at index 0');
    expect(rejection('x', 'children$').message).toMatch(/^children\$: /);
  });

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'number'],
    [{}, 'object'],
  ])('refuses a non-string (%j) saying what it got', (value, kind) => {
    const error = rejection(value, 'data$');
    expect(error.message).toBe(`data$: expected a string path, got ${kind}`);
    expect(error.position).toBe(0);
  });
});
