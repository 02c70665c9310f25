// Whether a prompt asks for code to be written, as opposed to asking about software. Only then is an
// answer without code a failed answer: "Compare PostgreSQL and SQLite and recommend one" or "What is the
// difference between a mutex and a semaphore?" are software questions that prose answers well, and
// holding them to "must contain code" burned every provider on good answers. Conservative on purpose:
// a miss only skips one check, a false hit costs calls.

/** Enough of the prompt to find the request in: its opening and its end. */
const HEAD_CHARS = 1_500
const TAIL_CHARS = 1_500

// A verb of making or changing code, then (within the same clause) what is made. Bounded gap: linear.
const WRITE_VERBS =
  'write|implement|create|build|generate|code|fix|refactor|rewrite|convert|port|optimi[sz]e|debug|add|modify|update|complete|make|give me|show me|provide|draft|scaffold|écri[st]|écrivez|implémente[zr]?|corrige[zr]?|crée[zr]?|génère[zr]?|refactorise[zr]?|réécri[st]|escrib[ea]|implementa|corrige|crea|genera|refactoriza|reescrib[ea]|schreib(?:e|en)?|implementiere|korrigiere|erstelle|generiere|refaktoriere|scrivi|implementa|correggi|escreva|implemente|corrija|напиши|реализуй|исправь|создай'
const CODE_NOUNS =
  'function|method|class|script|program|code|snippet|query|regex|regexp|sql|unit tests?|tests?|module|component|endpoint|handler|api|cli|command|one-liner|dockerfile|makefile|implementation|algorithm|hook|decorator|macro|struct|interface|schema|migration|bash|shell|python|javascript|typescript|rust|golang|java|kotlin|swift|ruby|php|c\\+\\+|c#|html|css|fonction|classe|requête|programme|méthode|función|clase|consulta|código|programa|método|funktion|skript|klasse|abfrage|programm|methode|funzione|codice|função|funcao|функци[юя]|скрипт|код|класс|программу'
const ASKS_TO_WRITE = new RegExp(
  `(?:^|[^\\p{L}])(?:${WRITE_VERBS})(?:[^\\p{L}][^.?!\\n]{0,60}?)?(?:[^\\p{L}+#]|^)(?:${CODE_NOUNS})(?=[^\\p{L}]|$)`,
  'iu',
)
// Chinese and Japanese write no spaces: a verb of writing directly followed (closely) by what is written.
const ASKS_TO_WRITE_CJK =
  /(?:写|编写|实现|修复|生成|重构|書いて|実装|修正|作成)[^。？！\n]{0,12}?(?:函数|脚本|代码|程序|类|方法|查询|関数|スクリプト|コード|プログラム|クラス|メソッド)/u
const FENCE = '```'
// "Fix this" over pasted code asks for the fixed code.
const CHANGES_GIVEN_CODE =
  /(?:^|[^\p{L}])(?:fix|refactor|rewrite|optimi[sz]e|convert|port|translate|debug|clean up|simplify|corrige[zr]?|corrige|korrigiere|修复|重构)(?=[^\p{L}]|$)/iu

/** The opening and the end of a long prompt, where people put what they ask. */
function askedPart(text: string): string {
  if (text.length <= HEAD_CHARS + TAIL_CHARS) return text
  return `${text.slice(0, HEAD_CHARS)}\n${text.slice(-TAIL_CHARS)}`
}

export function asksForCode(text: string): boolean {
  const asked = askedPart(text)
  if (ASKS_TO_WRITE.test(asked) || ASKS_TO_WRITE_CJK.test(asked)) return true
  return text.includes(FENCE) && CHANGES_GIVEN_CODE.test(asked)
}
