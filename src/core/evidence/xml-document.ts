import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { EvidenceParseError } from './evidence-error.js';
import type { EvidenceFormat } from './evidence-format.js';
import { positionAt } from './text-position.js';

/** An element of a report, reduced to what the readers use: no text, no comments. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Offset of the start tag's `<`, for messages that point at the element. */
  readonly offset: number;
  /** False when the file ends before the end tag. */
  readonly closed: boolean;
}

export interface XmlDocument {
  readonly root: XmlElement;
  /** An error that points at `element`'s start tag. */
  errorAt(element: XmlElement, reason: string, hint?: string): EvidenceParseError;
}

const PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Ordered output keeps one shape for every element, repeated or not.
  preserveOrder: true,
  captureMetaData: true,
  parseAttributeValue: false,
  parseTagValue: false,
  // Reports come from CI and are not trusted: no entity is ever expanded.
  processEntities: false,
};

const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol;

/**
 * Validates and parses a report. A malformed file fails with the validator's line and
 * column, except a truncated one, which points at the innermost tag left open.
 */
export function readXmlDocument(
  fileName: string,
  format: EvidenceFormat,
  text: string,
): XmlDocument {
  const errorAt = (reason: string, offset: number, hint?: string): EvidenceParseError =>
    new EvidenceParseError({ fileName, format, reason, hint, ...positionAt(text, offset) });

  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { code, msg, line, col } = validation.err;
    const unclosed = code === 'InvalidXml' ? innermostUnclosed(parseLeniently(text)) : undefined;
    if (unclosed !== undefined) {
      const end = positionAt(text, text.trimEnd().length).line;
      throw errorAt(
        `unclosed tag <${unclosed.name}>: the file ends at line ${end} before </${unclosed.name}>`,
        unclosed.offset,
      );
    }
    // The validator omits the column for some errors (an empty file) despite its types.
    const column = col as number | undefined;
    throw new EvidenceParseError({ fileName, format, reason: sentence(msg), line, column });
  }

  let roots: XmlElement[];
  try {
    roots = toElements(new XMLParser(PARSER_OPTIONS).parse(text));
  } catch (error) {
    const reason = sentence(error instanceof Error ? error.message : String(error));
    throw new EvidenceParseError({ fileName, format, reason }, { cause: error });
  }
  const [root, second] = roots;
  if (root === undefined)
    throw new EvidenceParseError({ fileName, format, reason: 'no root element' });
  if (second !== undefined) {
    throw errorAt(
      `a second root element <${second.name}>: a report has exactly one`,
      second.offset,
    );
  }
  return { root, errorAt: (element, reason, hint) => errorAt(reason, element.offset, hint) };
}

/** Elements named `name` anywhere below `element`, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (parent: XmlElement): void => {
    for (const child of parent.children) {
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

/**
 * A count attribute (`tests="12"`): undefined when absent, an error when it is not a
 * whole number, since a report that garbles its own counts cannot be trusted.
 */
export function countAttribute(
  document: XmlDocument,
  element: XmlElement,
  name: string,
): number | undefined {
  const raw = element.attributes[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw document.errorAt(
      element,
      `<${element.name}> has ${name}="${raw}", which is not a whole number`,
    );
  }
  return Number(trimmed);
}

function parseLeniently(text: string): XmlElement[] {
  try {
    return toElements(new XMLParser(PARSER_OPTIONS).parse(text));
  } catch {
    return [];
  }
}

function innermostUnclosed(elements: readonly XmlElement[]): XmlElement | undefined {
  for (const element of elements) {
    if (element.closed) continue;
    return innermostUnclosed(element.children) ?? element;
  }
  return undefined;
}

function toElements(nodes: unknown): XmlElement[] {
  if (!Array.isArray(nodes)) return [];
  const elements: XmlElement[] = [];
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string | symbol, unknown>;
    const name = Object.keys(record).find((key) => key !== ':@');
    // `#text` holds character data and `?xml` the declaration: neither is an element.
    if (name === undefined || name.startsWith('#') || name.startsWith('?')) continue;
    const metadata = record[METADATA] as { startIndex?: number; endIndex?: number } | undefined;
    elements.push({
      name,
      attributes: toAttributes(record[':@']),
      children: toElements(record[name]),
      offset: metadata?.startIndex ?? 0,
      closed: metadata?.endIndex !== undefined,
    });
  }
  return elements;
}

function toAttributes(raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null) return {};
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) attributes[key] = String(value);
  return attributes;
}

function sentence(message: string): string {
  const trimmed = message.trim().replace(/\.$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}
