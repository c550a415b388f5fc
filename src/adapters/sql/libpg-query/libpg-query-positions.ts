/**
 * libpg-query reports statement and token positions as UTF-8 byte offsets, and syntax
 * errors as character offsets. Findings want 1-based lines and columns; columns count
 * UTF-16 code units, the unit editors and SARIF use.
 */
export class TextPositions {
  private readonly bytes: Buffer;
  /** Byte offset where each line starts. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < this.bytes.length; i++)
      if (this.bytes[i] === 0x0a) this.lineStarts.push(i + 1);
  }

  /** Line and column of a byte offset. */
  atByte(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    const start = this.lineStarts[low] ?? 0;
    const column = this.bytes.subarray(start, offset).toString('utf8').length + 1;
    return { line: low + 1, column };
  }

  /** Line and column of a character (code point) offset, as PostgreSQL counts them. */
  atCharacter(offset: number): { line: number; column: number } {
    // "at end of input" points past the last newline; the statement left open is above it.
    const end = [...this.text.trimEnd()].length;
    if (offset >= end) offset = Math.max(0, end - 1);
    let units = 0;
    let characters = 0;
    for (const character of this.text) {
      if (characters >= offset) break;
      units += character.length;
      characters++;
    }
    return this.atByte(Buffer.byteLength(this.text.slice(0, units), 'utf8'));
  }
}
