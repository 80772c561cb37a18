import { describe, expect, it } from 'vitest';
import { parseNixEnvXml, unescapeXml } from '../../../server/src/nur/nixEnvXml';

// The shape `nix-env -qa --meta --xml --drv-path` prints (both Nix 2.8 and 2.26).
const XML = `<?xml version='1.0' encoding='utf-8'?>
<items>
  <item attrPath="greeting" drvPath="/nix/store/hf5j83i2ji3czy0zfaq4vhi5rsnrjsw4-greeting-1.0.0.drv" name="greeting-1.0.0" outputName="out" pname="greeting" system="x86_64-linux" version="1.0.0">
    <output name="out" />
    <meta name="description" type="string" value="Says &quot;hello&quot; &amp; more&#xA;second line" />
    <meta name="license" type="strings">
      <string type="spdxId" value="MIT" />
    </meta>
    <meta name="mainProgram" type="string" value="greeting" />
  </item>
  <item attrPath="bare" name="bare" outputName="out" pname="bare" system="x86_64-linux" version="">
    <output name="out" />
  </item>
</items>
`;

describe('nix-env XML', () => {
  it('reads items with their string meta', () => {
    expect(parseNixEnvXml(XML)).toEqual([
      {
        attrPath: 'greeting',
        name: 'greeting-1.0.0',
        pname: 'greeting',
        version: '1.0.0',
        drvPath: '/nix/store/hf5j83i2ji3czy0zfaq4vhi5rsnrjsw4-greeting-1.0.0.drv',
        meta: { description: 'Says "hello" & more\nsecond line', mainProgram: 'greeting' },
      },
      { attrPath: 'bare', name: 'bare', pname: 'bare', version: '', drvPath: undefined, meta: {} },
    ]);
  });

  it('reads an empty list, and refuses what is not a package list', () => {
    expect(parseNixEnvXml("<?xml version='1.0' encoding='utf-8'?>\n<items />\n")).toEqual([]);
    expect(parseNixEnvXml('{"greeting": {}}')).toBeUndefined();
    expect(parseNixEnvXml('')).toBeUndefined();
  });

  it('unescapes entities', () => {
    expect(unescapeXml('&lt;a&gt; &#65;&#x42; &apos;&unknown;')).toBe("<a> AB '&unknown;");
  });
});
