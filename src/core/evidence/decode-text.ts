/**
 * Bytes to text, honouring a byte-order mark: Windows PowerShell writes reports as
 * UTF-16 by default, everything else is UTF-8. The mark is dropped so that offsets and
 * format detection see the document's first character.
 */
export function decodeText(content: Uint8Array): string {
  if (content[0] === 0xff && content[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(content);
  if (content[0] === 0xfe && content[1] === 0xff)
    return new TextDecoder('utf-16be').decode(content);
  return new TextDecoder('utf-8').decode(content);
}
