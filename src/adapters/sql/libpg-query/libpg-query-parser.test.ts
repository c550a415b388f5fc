import { describe, expect, it } from 'vitest';
import { describeSqlParserContract } from '../sql-parser-contract.case.js';
import { createLibpgQueryParser } from './libpg-query-parser.js';
import { TextPositions } from './libpg-query-positions.js';

describeSqlParserContract('libpg-query', createLibpgQueryParser);

describe('TextPositions', () => {
  it('maps UTF-8 byte offsets to lines and UTF-16 columns', () => {
    const positions = new TextPositions('ab\nçé😀x\n');
    expect(positions.atByte(0)).toEqual({ line: 1, column: 1 });
    expect(positions.atByte(3)).toEqual({ line: 2, column: 1 });
    // ç and é take two bytes each, 😀 four bytes and two UTF-16 units.
    expect(positions.atByte(3 + 2 + 2 + 4)).toEqual({ line: 2, column: 5 });
  });

  it('maps character offsets (PostgreSQL cursor positions) and keeps end of input on the last line', () => {
    const positions = new TextPositions('😀é\nSELECT\n\n');
    expect(positions.atCharacter(3)).toEqual({ line: 2, column: 1 });
    expect(positions.atCharacter(99)).toEqual({ line: 2, column: 6 });
  });
});
