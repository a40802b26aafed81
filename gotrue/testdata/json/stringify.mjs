// Writes stringify.json: for each input, what a browser makes of it, as
// JSON.stringify(JSON.parse(text)) where text is the input's bytes decoded
// as fetch's response.json() decodes them (the WHATWG UTF-8 decoder, each
// maximal ill-formed subsequence one U+FFFD). "out" is null where
// JSON.parse throws. Inputs are base64, since some are not UTF-8.
//
//   node gotrue/testdata/json/stringify.mjs > gotrue/testdata/json/stringify.json
//
// TestJSONStringifyTable reads the result; it never needs node.

// b builds bytes from strings (UTF-8) and numbers (single bytes).
const b = (...parts) => Buffer.concat(parts.map((p) =>
  typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p, 'utf8')))
// str is a JSON string whose inside is the given bytes.
const str = (...bytes) => b('"', ...bytes, '"')

const cases = [
  // Keys that are array indices come first, ascending; the rest keep their order.
  ['index key first', '{"b":1,"1":2}'],
  ['index keys by value', '{"z":0,"10":1,"2":2,"1":3,"0":4}'],
  ['largest index', '{"a":1,"4294967295":2,"4294967294":3}'],
  ['not indices', '{"b":0,"01":1,"-0":2,"1.5":3,"":4,"-1":5,"1e3":6,"+1":7," 1":8,"1 ":9,"00":10,"4294967296":11,"99999999999":12,"0":13}'],
  ['repeated index key', '{"b":1,"1":2,"a":3,"1":4}'],
  ['repeated key', '{"a":1,"b":2,"a":3}'],
  ['repeated key, container values', '{"a":{"x":1},"b":[],"a":[2,{"1":1,"y":2}]}'],
  ['escaped index key', '{"b":1,"\\u0031":2,"1":3}'],
  ['nested index keys', '{"a":{"b":1,"1":2},"c":[{"z":1,"0":2}],"7":{"x":{"y":0,"3":1}}}'],
  ['empty key', '{"":1,"":2,"0":3}'],
  // Strings: what JSON.stringify escapes, and what it leaves.
  ['html characters', '"<>&\\u003c\\u003e\\u0026"'],
  ['escapes', '"\\"\\\\\\/\\b\\f\\n\\r\\t"'],
  ['escaped controls', '"\\u0000\\u0001\\u001f\\u0020\\u007f\\u0080\\u009f"'],
  ['raw DEL', str(0x7f)],
  ['raw tab', str(0x09)],
  ['raw newline', str(0x0a)],
  ['raw NUL', str(0x00)],
  ['line separators', '"\\u2028\\u2029"'],
  ['raw line separators', '"\u2028\u2029"'],
  ['BOM and U+FFFD escaped', '"\\ufeff\\ufffd\\uFFFE"'],
  ['non-ASCII escaped', '"\\u00e9t\\u00E9 \\u4e2d"'],
  ['non-ASCII raw', '"été 中 😀"'],
  // Surrogates: pairs make one character, lone ones stay escapes.
  ['surrogate pair', '"\\ud83d\\ude00"'],
  ['surrogate pair, upper case', '"\\uD83D\\uDE00"'],
  ['highest pair', '"\\udbff\\udfff"'],
  ['lone high', '"\\ud800"'],
  ['lone low', '"\\udc00"'],
  ['lone high upper case', '"\\uDBFF"'],
  ['lone high then text', '"\\ud83dx"'],
  ['lone high then escape', '"\\ud800\\u0041"'],
  ['reversed pair', '"\\ude00\\ud83d"'],
  ['high, then pair', '"\\ud83d\\ud83d\\ude00"'],
  ['pair, then low', '"\\ud83d\\ude00\\ude00"'],
  ['high, then raw emoji', '"\\ud83d😀"'],
  ['lone surrogate keys', '{"\\ud800":1,"\\ufffd":2,"\\udc00":3,"\\ud800":4}'],
  // Bytes that are not UTF-8, one class of the WHATWG decoder each.
  ['lone continuation', str(0x80)],
  ['continuations', str(0x80, 0xbf, 0x80)],
  ['C0 overlong', str(0xc0, 0x80)],
  ['C1 overlong', str(0xc1, 0xbf)],
  ['two-byte truncated', str(0xc2)],
  ['two-byte then ASCII', str(0xc2, 'A')],
  ['two-byte valid', str(0xc2, 0x80, 0xdf, 0xbf)],
  ['E0 overlong', str(0xe0, 0x80, 0x80)],
  ['E0 overlong high', str(0xe0, 0x9f, 0xbf)],
  ['E0 truncated', str(0xe0, 0xa0)],
  ['E0 valid', str(0xe0, 0xa0, 0x80)],
  ['three-byte truncated', str(0xe2, 0x82)],
  ['three-byte truncated then ASCII', str(0xe2, 0x82, 'b')],
  ['three-byte lead alone', str(0xe1, 'A')],
  ['surrogate encoded', str(0xed, 0xa0, 0x80)],
  ['surrogate pair encoded', str(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80)],
  ['ED highest valid', str(0xed, 0x9f, 0xbf)],
  ['ED low surrogate', str(0xed, 0xbf, 0xbf)],
  ['EF truncated', str(0xef, 0xbf)],
  ['noncharacters', str(0xef, 0xbf, 0xbe, 0xef, 0xbf, 0xbf)],
  ['raw U+FFFD', str(0xef, 0xbf, 0xbd)],
  ['F0 overlong', str(0xf0, 0x80, 0x80, 0x80)],
  ['F0 overlong high', str(0xf0, 0x8f, 0xbf, 0xbf)],
  ['F0 truncated one', str(0xf0, 0x90)],
  ['F0 truncated two', str(0xf0, 0x90, 0x80)],
  ['F0 valid', str(0xf0, 0x90, 0x80, 0x80)],
  ['F1 truncated', str(0xf1, 0x80, 0x80)],
  ['F4 valid highest', str(0xf4, 0x8f, 0xbf, 0xbf)],
  ['F4 above U+10FFFF', str(0xf4, 0x90, 0x80, 0x80)],
  ['F4 truncated', str(0xf4, 0x8f)],
  ['F5 and up', str(0xf5, 0x80, 0x80, 0x80, 0xf8, 0xfb, 0xfc, 0xfe, 0xff)],
  ['run of bad leads', str(0xff, 0xfe, 0xfd)],
  ['truncated before escape', str(0xe2, 0x82, '\\n', 0xf0, 0x9f, '\\u0041')],
  ['truncated then truncated', str(0xe2, 0x82, 0xe2, 0x82, 0xf0, 0x9f, 0x98)],
  ['bad bytes in a key', b('{"', 0xe2, 0x82, '":1,"', 0xff, '":2,"\\ufffd":3}')],
  ['bad byte outside a string', b('[1]', 0xff)],
  ['bad byte before the value', b(0xff, '[1]')],
  ['bad byte between values', b('[1,', 0x80, '2]')],
  ['unterminated after bad bytes', b('"', 0xe2, 0x82)],
  // Numbers in JavaScript's shortest form.
  ['one point zero', '1.0'],
  ['minus zero', '-0'],
  ['minus zero fraction', '-0.0e5'],
  ['1e21', '1e21'],
  ['1e20', '1e20'],
  ['123e18', '123e18'],
  ['1E-7', '1E-7'],
  ['0.000001', '0.000001'],
  ['0.0000001', '0.0000001'],
  ['0.1', '0.1'],
  ['exponent sign', '[1E+2,100e-2,2.50e1]'],
  ['big integer', '123456789012345678901234567890'],
  ['above 2^53', '9007199254740993'],
  ['18 digits', '123456789012345678'],
  ['smallest subnormal', '5e-324'],
  ['rounds to zero', '2e-324'],
  ['largest', '1.7976931348623157e308'],
  ['overflow', '[1e400,-1e400]'],
  ['negative', '-1.5e-7'],
  ['leading zero', '01'],
  ['bare point', '1.'],
  ['bare minus', '-'],
  ['plus', '+1'],
  ['leading point', '.5'],
  ['bare exponent', '1e'],
  // White space: only space, tab, line feed and carriage return.
  ['white space everywhere', ' \t\n\r{ "a" : [ 1 , 2 , { } , [ ] ] , "b" :\ttrue\r\n} \r\n'],
  ['form feed', '\f1'],
  ['vertical tab', '[1,\v2]'],
  ['no-break space', '\u00a01'],
  ['line separator after', '1\u2028'],
  ['BOM inside', '[\ufeff1]'],
  // Everything else.
  ['literals', '[true,false,null]'],
  ['empty containers', '[[],{},[ ],{ }]'],
  ['string alone', '"x"'],
  ['empty', ''],
  ['space only', ' '],
  ['unclosed object', '{'],
  ['trailing comma in array', '[1,]'],
  ['trailing comma in object', '{"a":1,}'],
  ['bare key', '{a:1}'],
  ['single quotes', "'a'"],
  ['unterminated string', '"a'],
  ['bad escape', '"\\x"'],
  ['short unicode escape', '"\\u12"'],
  ['missing comma', '[1 2]'],
  ['missing colon', '{"a" 1}'],
  ['two values', '1 2'],
  ['misspelled literal', 'nul'],
  ['capital literal', 'True'],
]

const dec = new TextDecoder()
const out = cases.map(([name, input]) => {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  let res = null
  try {
    res = JSON.stringify(JSON.parse(dec.decode(bytes)))
  } catch {}
  return { name, in: bytes.toString('base64'), out: res }
})
process.stdout.write('[\n' + out.map((c) => JSON.stringify(c)).join(',\n') + '\n]\n')
