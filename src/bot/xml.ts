// XML in and out of the callback. Entities are never expanded and DTDs are refused outright, so a
// hostile envelope cannot make the parser do work before the signature is checked.
import { XMLParser } from 'fast-xml-parser';

export class XmlError extends Error {
  override name = 'XmlError';
}

const parser = new XMLParser({
  ignoreAttributes: true,
  // Keep every value a string: MsgId is a 64-bit integer that a JS number cannot hold.
  parseTagValue: false,
  processEntities: false,
  trimValues: false,
  ignoreDeclaration: true,
});

export type XmlValue = string | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

/** Parses and validates a WeCom XML document; returns the children of its <xml> root. */
export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlError('DTDs and entity declarations are not accepted');
  let parsed: unknown;
  try {
    parsed = parser.parse(text, true);
  } catch (error) {
    throw new XmlError(`malformed XML: ${(error as Error).message}`);
  }
  const root = (parsed as { xml?: unknown }).xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root))
    throw new XmlError('no <xml> root element');
  return root as XmlElement;
}

/** The text of a direct child element, or undefined. */
export function childText(node: XmlElement, name: string): string | undefined {
  const value = node[name];
  return typeof value === 'string' ? value : undefined;
}

function cdata(value: string): string {
  // "]]>" cannot appear inside a CDATA section: split it across two sections.
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Serialises a flat or nested object as WeCom reply XML (strings as CDATA, numbers bare). */
export function buildXml(fields: Record<string, unknown>): string {
  return `<xml>${serialiseFields(fields)}</xml>`;
}

function serialiseFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => {
      if (typeof value === 'number') return `<${name}>${value}</${name}>`;
      if (typeof value === 'string') return `<${name}>${cdata(value)}</${name}>`;
      if (Array.isArray(value))
        return value.map((item: unknown) => serialiseFields({ [name]: item })).join('');
      return `<${name}>${serialiseFields(value as Record<string, unknown>)}</${name}>`;
    })
    .join('');
}
