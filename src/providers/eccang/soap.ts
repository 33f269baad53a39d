// ECCANG's SOAP 1.1 `callService` envelope (PROVIDERS.md "ECCANG WMS / Transport"), built and
// read by hand: the envelope is fixed and flat, so a full XML parser would add a dependency
// without adding safety. Escaping is handled both ways here and nowhere else.

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const ECCANG_NS = 'http://www.example.org/Ec/';
export const SERVICE_PATH = '/default/svc/web-service';
export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * Escapes text for an XML element body: & < > (as PHP's SoapClient does; quotes need no escaping
 * in element content, and JSON is full of them). Only for element bodies, never attributes.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const XML_NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Reads the text content of an element: CDATA sections as they are, the five named entities
 * and numeric character references decoded. An unknown entity is an error, not passed through.
 */
export function unescapeXml(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const start = rest.indexOf('<![CDATA[');
    const plain = start < 0 ? rest : rest.slice(0, start);
    out += decodeEntities(plain);
    if (start < 0) return out;
    const end = rest.indexOf(']]>', start + 9);
    if (end < 0) throw new Error('unterminated CDATA section');
    out += rest.slice(start + 9, end);
    rest = rest.slice(end + 3);
  }
}

function decodeEntities(text: string): string {
  if (text.includes('<')) throw new Error('unexpected markup inside a text element');
  if (/&(?![^;&\s]{1,10};)/.test(text)) throw new Error('bare "&" in XML text');
  return text.replace(/&([^;&\s]{1,10});/g, (_, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) throw new Error(`bad character reference &${name};`);
      return String.fromCodePoint(code);
    }
    const decoded = XML_NAMED[name];
    if (decoded === undefined) throw new Error(`unknown XML entity &${name};`);
    return decoded;
  });
}

/**
 * JSON for a paramsJson/response element: JSON.stringify already escapes control characters;
 * U+FFFE/U+FFFF are not allowed in XML even as references, so they travel as JSON \u escapes.
 */
export function jsonForXml(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export interface CallServiceRequest {
  /** The business parameters, JSON-encoded (already a string). */
  paramsJson: string;
  appToken: string;
  appKey: string;
  service: string;
  language: string;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ENVELOPE_OPEN = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV_NS}" xmlns:ns1="${ECCANG_NS}">`;
const ENVELOPE_CLOSE = '</SOAP-ENV:Envelope>';

/** The request body: one `ns1:callService` in a SOAP 1.1 envelope, exactly as PROVIDERS.md shows. */
export function buildCallServiceEnvelope(request: CallServiceRequest): string {
  return (
    XML_DECL +
    ENVELOPE_OPEN +
    '<SOAP-ENV:Body><ns1:callService>' +
    `<paramsJson>${escapeXml(request.paramsJson)}</paramsJson>` +
    `<appToken>${escapeXml(request.appToken)}</appToken>` +
    `<appKey>${escapeXml(request.appKey)}</appKey>` +
    `<service>${escapeXml(request.service)}</service>` +
    `<language>${escapeXml(request.language)}</language>` +
    '</ns1:callService></SOAP-ENV:Body>' +
    ENVELOPE_CLOSE
  );
}

/** The reply body the server sends: the JSON answer inside `ns1:callServiceResponse/response`. */
export function buildCallServiceResponse(responseJson: string): string {
  return (
    XML_DECL +
    ENVELOPE_OPEN +
    '<SOAP-ENV:Body><ns1:callServiceResponse>' +
    `<response>${escapeXml(responseJson)}</response>` +
    '</ns1:callServiceResponse></SOAP-ENV:Body>' +
    ENVELOPE_CLOSE
  );
}

/** A SOAP fault, as a SOAP server sends when the call itself cannot be handled. */
export function buildSoapFault(faultcode: string, faultstring: string): string {
  return (
    XML_DECL +
    ENVELOPE_OPEN +
    `<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>${escapeXml(faultcode)}</faultcode><faultstring>${escapeXml(faultstring)}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body>` +
    ENVELOPE_CLOSE
  );
}

/** Thrown when the XML is not the expected envelope. */
export class SoapFormatError extends Error {
  override readonly name = 'SoapFormatError';
}

/** Thrown when the envelope carries a SOAP Fault instead of an answer. */
export class SoapFault extends Error {
  override readonly name = 'SoapFault';
  constructor(readonly faultcode: string, readonly faultstring: string) {
    super(`SOAP fault ${faultcode}: ${faultstring}`);
  }
}

/**
 * The text of the single element with this local name (any namespace prefix, or none), or
 * null if absent. `<name/>` reads as ''. Two such elements are an error.
 */
export function elementText(xml: string, localName: string, options?: { raw?: boolean }): string | null {
  const pattern = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${localName}(?:\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${localName}\\s*>)`, 'g');
  const matches = [...xml.matchAll(pattern)];
  if (matches.length === 0) return null;
  if (matches.length > 1) throw new SoapFormatError(`more than one <${localName}> element`);
  const body = matches[0]![1];
  try {
    if (body === undefined) return '';
    return options?.raw ? body : unescapeXml(body);
  } catch (error) {
    throw new SoapFormatError(`<${localName}>: ${(error as Error).message}`);
  }
}

function requireEnvelope(xml: string): void {
  if (!/<(?:[A-Za-z_][\w.-]*:)?Envelope[\s>]/.test(xml) || !/<(?:[A-Za-z_][\w.-]*:)?Body[\s>]/.test(xml)) {
    throw new SoapFormatError('not a SOAP envelope');
  }
}

/** Reads a reply: returns the raw JSON text of `<response>`, or throws SoapFault / SoapFormatError. */
export function parseCallServiceResponse(xml: string): string {
  requireEnvelope(xml);
  if (/<(?:[A-Za-z_][\w.-]*:)?Fault[\s>]/.test(xml)) {
    throw new SoapFault(elementText(xml, 'faultcode') ?? '', elementText(xml, 'faultstring') ?? '');
  }
  if (elementText(xml, 'callServiceResponse', { raw: true }) === null) throw new SoapFormatError('no <callServiceResponse> element');
  const response = elementText(xml, 'response');
  if (response === null) throw new SoapFormatError('no <response> element');
  return response;
}

/** Reads a request (the simulator's side). */
export function parseCallServiceRequest(xml: string): CallServiceRequest {
  requireEnvelope(xml);
  if (elementText(xml, 'callService', { raw: true }) === null) throw new SoapFormatError('no <callService> element');
  const field = (name: string) => {
    const value = elementText(xml, name);
    if (value === null) throw new SoapFormatError(`no <${name}> element`);
    return value;
  };
  return {
    paramsJson: field('paramsJson'),
    appToken: field('appToken'),
    appKey: field('appKey'),
    service: field('service'),
    language: elementText(xml, 'language') ?? 'en_US',
  };
}
