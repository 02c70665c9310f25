import { describe, expect, it } from 'vitest'
import { splitFimPrompt } from './split-fim-prompt.js'

describe('splitFimPrompt', () => {
  it("takes Continue's default (StarCoder) template apart", () => {
    expect(
      splitFimPrompt('<fim_prefix>def add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))<fim_middle>'),
    ).toEqual({
      template: 'starcoder',
      prefix: 'def add(a, b):\n    ',
      suffix: '\n\nprint(add(1, 2))',
    })
  })

  it('reads Qwen, CodeLlama (Tabby), DeepSeek and Codestral templates', () => {
    expect(splitFimPrompt('<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>')).toMatchObject({
      prefix: 'a',
      suffix: 'b',
    })
    expect(splitFimPrompt('<PRE> let x =  <SUF>;\n <MID>')).toMatchObject({
      prefix: 'let x = ',
      suffix: ';\n',
    })
    expect(splitFimPrompt('<｜fim▁begin｜>a<｜fim▁hole｜>b<｜fim▁end｜>')).toMatchObject({
      prefix: 'a',
      suffix: 'b',
    })
    expect(splitFimPrompt('[SUFFIX]return a + b[PREFIX]def add(a, b):\n    ')).toEqual({
      template: 'codestral',
      prefix: 'def add(a, b):\n    ',
      suffix: 'return a + b',
    })
  })

  it('keeps context before the template in front of the prefix, and leaves plain prompts alone', () => {
    expect(
      splitFimPrompt('<|file_sep|>util.py\nX = 1\n<|fim_prefix|>import util\n<|fim_suffix|><|fim_middle|>'),
    ).toMatchObject({ prefix: '<|file_sep|>util.py\nX = 1\nimport util\n', suffix: '' })
    expect(splitFimPrompt('def add(a, b):')).toBeNull()
    expect(splitFimPrompt('<fim_prefix>no suffix marker')).toBeNull()
  })
})
