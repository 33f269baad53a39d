// The SOAP envelope by hand: escaping both ways, reading replies with or without prefixes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SoapFault,
  SoapFormatError,
  buildCallServiceEnvelope,
  buildCallServiceResponse,
  escapeXml,
  jsonForXml,
  parseCallServiceRequest,
  parseCallServiceResponse,
  unescapeXml,
} from '../../../src/providers/eccang/soap.ts';

describe('XML escaping', () => {
  it('escapes &, < and > in element text', () => {
    // given / when / then
    expect(escapeXml(`a & b <c> "d" 'e'`)).toBe(`a &amp; b &lt;c&gt; "d" 'e'`);
  });

  it('decodes named entities, numeric references and CDATA', () => {
    // given
    const text = 'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42; <![CDATA[<raw & kept>]]>!';
    // when / then
    expect(unescapeXml(text)).toBe(`a & b <c> "d" 'e' AB <raw & kept>!`);
  });

  it('does not decode twice (&amp;lt; stays &lt;)', () => {
    expect(unescapeXml('&amp;lt;')).toBe('&lt;');
  });

  it.each(['a & b', '&bogus;', 'a <b> c', '<![CDATA[open'])('refuses malformed text %j', (text) => {
    expect(() => unescapeXml(text)).toThrow();
  });

  it('round-trips any JSON value through a request envelope', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.string(), (value, token, key) => {
        // given
        const paramsJson = jsonForXml(value);
        // when
        const parsed = parseCallServiceRequest(buildCallServiceEnvelope({ paramsJson, appToken: token, appKey: key, service: 'createOrder', language: 'en_US' }));
        // then
        expect(parsed).toEqual({ paramsJson, appToken: token, appKey: key, service: 'createOrder', language: 'en_US' });
        expect(JSON.parse(parsed.paramsJson)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('keeps U+FFFE/U+FFFF (not allowed in XML) as JSON escapes', () => {
    expect(jsonForXml({ s: 'a\uFFFEb' })).toBe('{"s":"a\\ufffeb"}');
  });
});

describe('reading replies', () => {
  it('reads <response> with the ns1 prefix', () => {
    // given
    const xml = buildCallServiceResponse('{"ask":"Success","message":"a &amp; <b>"}');
    // when / then
    expect(parseCallServiceResponse(xml)).toBe('{"ask":"Success","message":"a &amp; <b>"}');
  });

  it('reads a reply without the ns1 prefix, other prefixes and attributes', () => {
    // given
    const xml =
      '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      '<callServiceResponse xmlns="http://www.example.org/Ec/"><response xsi:type="xsd:string">{"ask":"Failure"}</response></callServiceResponse>' +
      '</soap:Body></soap:Envelope>';
    // when / then
    expect(parseCallServiceResponse(xml)).toBe('{"ask":"Failure"}');
  });

  it('reads a CDATA response', () => {
    const xml = '<SOAP-ENV:Envelope><SOAP-ENV:Body><ns1:callServiceResponse><response><![CDATA[{"ask":"Success","x":"<&>"}]]></response></ns1:callServiceResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    expect(parseCallServiceResponse(xml)).toBe('{"ask":"Success","x":"<&>"}');
  });

  it('turns a SOAP Fault into SoapFault', () => {
    const xml = '<SOAP-ENV:Envelope><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode><faultstring>boom &amp; bust</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    expect(() => parseCallServiceResponse(xml)).toThrow(SoapFault);
    expect(() => parseCallServiceResponse(xml)).toThrow('boom & bust');
  });

  it.each([
    ['not XML', '<html>oops</html>'],
    ['no callServiceResponse', '<Envelope><Body><other/></Body></Envelope>'],
    ['no response', '<Envelope><Body><callServiceResponse></callServiceResponse></Body></Envelope>'],
    ['two responses', '<Envelope><Body><callServiceResponse><response>1</response><response>2</response></callServiceResponse></Body></Envelope>'],
  ])('refuses %s', (_, xml) => {
    expect(() => parseCallServiceResponse(xml)).toThrow(SoapFormatError);
  });
});
