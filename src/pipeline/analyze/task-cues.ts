// Multilingual cue patterns (en, fr, es, de, it, pt, nl, zh, ja) shared by the rules and the splitter.
// Each names what a reader would notice; they are deliberately broad, the model weighs the words.

const PROGRAMMING_LANGUAGE =
  '(?:python|java(?:script)?|typescript|kotlin|rust|go(?:lang)?|c\\+\\+|c#|ruby|php|swift|scala|haskell|elixir|perl|lua|dart|bash|powershell|sql|datalog|pandas|numpy|r|matlab|julia|fortran|cobol|clojure|f#|ocaml|jquery|react|vue|angular|svelte|node(?:\\.js)?)'

export const CUES = {
  translateVerb:
    /\btranslat(?:e|ed|ing|ion)\b|traduire|tradui[st]|traduction|tradu[cz][ae]|tradúce|traducción|tradução|traduz|traduci|übersetz|vertaal|przetłumacz|tłumacz|översätt|oversett|oversæt|çevir|перевед|перевест|翻译|翻譯|翻訳|訳して|번역|अनुवाद|ترجم|ترجمة|переклад/i,
  meaningQuestion:
    /\b(?:what does|what do)\b[^?\n]{1,120}\bmean\b|\bhow (?:do|would) (?:you|i) say\b|\bin (?:english|french|german|spanish|italian|portuguese|chinese|japanese)\s*\?|que veut dire|qu'est-ce que .{1,40} veut dire|comment (?:dit-on|on dit|dire)\b|qué significa|cómo se dice|cómo digo|wie sagt man|was heißt|was bedeutet|come si dice|como se diz|用.{1,6}怎么说|怎么说|是什么意思|どういう意味/i,
  codeToCode: new RegExp(
    `\\b(?:translat\\w*|convert\\w*|port\\w*|rewrite|migrat\\w*)\\b[^\\n]{0,60}\\b(?:to|into|in)\\s+(?:idiomatic\\s+|proper\\s+|modern\\s+)?${PROGRAMMING_LANGUAGE}\\b|\\bfrom\\s+${PROGRAMMING_LANGUAGE}\\s+to\\s+${PROGRAMMING_LANGUAGE}\\b|\\bthis\\s+${PROGRAMMING_LANGUAGE}\\s+(?:code\\s+|snippet\\s+|function\\s+|class\\s+|query\\s+)?(?:to|into)\\s+${PROGRAMMING_LANGUAGE}\\b`,
    'i',
  ),
  naturalTextInCode:
    /\b(?:comments?|docstrings?|error messages?|strings|labels?|ui text|messages|release notes?|documentation|readme|prose|values)\b|commentaires|comentarios|kommentare|注释|注釋/i,
  summarizeVerb:
    /\bsummar(?:y|ize|ise|izing|ising)\b|\btl;?dr\b|\bkey (?:points|takeaways)\b|\bmain (?:points|takeaways|ideas)\b|\bgist\b|\bcondense\b|\brecap\b|\bboil (?:this|it) down\b|résum[ée]|\bresum[ea]\b|\bresumen\b|zusammen(?:fass|zufass)|fasse\b.{0,60}\bzusammen|riassum|总结|概括|摘要|要約|まとめ|요약|정리해|सारांश|لخص|ملخص|özetle|özet|перескажи|кратко изложи|краткое содержание|resuma|resumo/i,
  extractVerb:
    /\bextract\b|\bpull out\b|\blist (?:all|the|every)\b[^.\n]{0,40}\b(?:action items|owners|dates|names|entities|decisions)|\baction items\b|\bsentiment\b|\bclassify (?:each|these|the following)\b|\b(?:based|only) (?:only )?on the (?:passage|text|article|document)\b|\bfrom the (?:text|passage|article|email|transcript|report|notes)\b|extrae|extrais|extrahiere/i,
  /** Software tools, platforms and infrastructure a reader recognizes as a software subject (rule 8). */
  softwareTopic:
    /\b(?:webpack|vite|esbuild|eslint|npm|pnpm|yarn (?:install|add|workspaces?)|pip install|poetry (?:install|add|lock)|cargo (?:build|test|run|\.toml)|maven|gradle|docker|kubernetes|k8s|helm charts?|kustomize|terraform|ansible|nginx|kafka|rabbitmq|redis|postgres(?:ql)?|mysql|sqlite|mongodb|dynamodb|elasticsearch|graphql|grpc|rest api|microservices?|monorepo|ci\/cd|github actions|gitlab ci|jenkins|aws|aws lambda|lambda functions?|gcp|azure|serverless|ruby on rails|rails (?:app|api|monolith)|django|flask (?:app|api)|fastapi|spring boot|laravel|next\.js|nuxt|express(?:\.js| server| app| middleware)|react(?:\.js| native| hooks?| components?| app)|vue(?:\.js| 3| components?)|angular (?:app|components?)|tokio|async\/await|mutex|thread pool|load balancer|websockets?|oauth|jwt)\b/i,
  /**
   * Computer-science concepts a reader files under programming whatever the framing ("difference
   * between a mutex and a semaphore", "reverse a linked list"), in the supported languages.
   */
  programmingConcept:
    /\b(?:linked lists?|doubly linked|binary (?:search )?trees?|hash ?(?:maps?|tables?|sets?)|mutex(?:es)?|semaphores?|spinlocks?|deadlocks?|race conditions?|threads? (?:safety|safe|pool)|multithread\w*|coroutines?|goroutines?|async\/await|closures?|recursion|recursive functions?|pointers?|references? counting|garbage collect\w*|memory leaks?|stack overflow|heap allocation|big-?o|time complexity|data structures?|algorithms?|sorting algorithms?|compilers?|interpreters?|bytecode|polymorphism|inheritance|encapsulation|generics|monads?|iterators?|generators?|lambdas?|callbacks?|promises?|borrow checker|lifetimes?|segfault|segmentation fault|null pointer|unit tests?|regex(?:es)?|regular expressions?|sql (?:query|join)|(?:inner|left|outer) join|primary keys?|foreign keys?|orm|rest api|graphql|websockets?|tcp|udp|http\/?\d?|dns|dependency injection|design patterns?|singleton|microservices?|git (?:rebase|merge))\b|liste chaînée|lista (?:enlazada|ligada|concatenata)|verkettete liste|связн\w+ спис\w+|мьютекс|семафор|рекурси\w+|замыкани\w+|указател\w+|链表|互斥锁|信号量|递归|闭包|指针|連結リスト|ミューテックス|セマフォ|再帰|クロージャ|ポインタ|연결 리스트|뮤텍스|세마포어|재귀|클로저|포인터|लिंक्ड लिस्ट|म्यूटेक्स|सेमाफोर|रिकर्शन|क्लोज़र|पॉइंटर|bağlı liste|semafor|özyineleme|القائمة المرتبطة|قائمة مرتبطة|العودية/i,
  codeNoun:
    /\b(?:code|function|method|class|module|script|snippet|diff|patch|pull request|pr|commit|query|regex|endpoint|component|file|repo(?:sitory)?|library|package|hook|middleware|program)\b|código|fonction|funktion|代码|函数/i,
  freshness:
    /\b(?:today|tonight|tomorrow|yesterday|right now|currently|at the moment|these days|(?:this|next|coming|on) (?:week|weekend|month|year|season|morning|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|next (?:week|weekend|month)|last night|latest|newest|most recent|recent(?:ly)?|up-to-date|as of now|so far this|still (?:available|open|supported|valid|running|happening)|breaking news|headlines|news)\b|\b20(?:2[5-9]|3\d)\b|aujourd'hui|demain|actuel(?:le)?|en ce moment|dernière?s? (?:version|nouvelles)|cette semaine|\bhoy\b|mañana|actual(?:mente)?\b|última versión|esta semana|anoche|\bheute\b|morgen\b|aktuell|derzeit|neueste|diese woche|kommende[nmr]?|nächste[nmr]? woche|今天|明天|现在|目前|最新|本周|这周|今日|明日|現在|oggi|domani|hoje|vandaag|сегодня/i,
  freshTopic:
    /\b(?:weather|forecast|temperature in|exchange rate|stock price|share price|price of|prices? (?:of|for|in)|how much (?:is|does|do)|cost of|interest rate|mortgage rates?|inflation rate|score|standings|results?|winner|won|release(?:s|d)?|version|changelog|release notes|outages?|down|status|ceo|president|prime minister|chancellor|mayor|governor|leader|head coach|record|population|schedule|opening hours|open on|visa|entry requirements|requirements|rules|subsidy|subsidies|guidance|regulation|pricing|trending|box office|playing|tickets|flights?)\b|météo|\bcours\b|\bprix\b|tiempo hará|clima|precio|tipo de cambio|wetter|preis|kurs|天气|汇率|价格|股价|天気|為替/i,
  alwaysFresh:
    /\b(?:weather|forecast|exchange rate|stock price|share price|outage|is (?:\w+ )?down (?:right now|today|at the moment)|traffic (?:on|in)|box office|(?:out|released|available|announced) yet|is there (?:a )?newer)\b|météo|tiempo (?:hace|hará)|wetter|天气|天気|汇率|為替/i,
  webVerb:
    /\b(?:look up|search (?:the web|online|for)|google|browse|find out|check (?:whether|if|online)|find (?:the )?(?:latest|current|recent|cheapest|best)|what'?s new in)\b|busca en internet|recherche sur internet|suche im internet|finde heraus|schau nach|prüfe, ob|averigua|comprueba si|vérifie si|regarde si|查一下|搜索|搜一下|検索/i,
  currentRole:
    /\bwho (?:is|'s) (?:the )?(?:current|present|new)\b|\bcurrent (?:ceo|president|prime minister|chancellor|leader|owner|champion|holder|version|release|price|rate|status|weather|population|record)\b|\bhow old is\b|\bwhat (?:day|date|time|season) is it\b|\btoday'?s date\b/i,
  buildProgram:
    /\b(?:write|create|build|implement|make|code|generate|give me)\b[^.?\n]{0,40}\b(?:script|function|program|bot|app|api client|cron ?job|hook|component|cli|scraper|service|class|lambda|endpoint|workflow)\b|\b(?:api|endpoint|scrape|scraper|fetch(?:es|ing)?|polls?|curl|requests\.get|axios)\b|escribe un script|écris un script|schreib(?:e)? ein (?:skript|programm)|写一个(?:脚本|程序|函数)/i,
  mathVerb:
    /\b(?:solve|calculate|compute|evaluate|simplify|factor(?:ize)?|differentiate|integrate|derivative|integral|prove|proof|probability|expected value|variance|standard deviation|mean|median|percent(?:age)?|how many|how much|equation|theorem|lemma|matrix|eigen\w*|polynomial|fraction|logarithm|limit|series|geometric|arithmetic)\b|calcul|résou|résoudre|équation|dérivée|resuelve|calcula|ecuación|berechne|löse|gleichung|wahrscheinlichkeit|计算|求解|解方程|方程|概率|证明|計算|証明|calcola|quanto/i,
  /** The subject is mathematics itself, whatever the framing ("act as a math teacher…", rule 16). */
  mathSubject:
    /\b(?:math(?:s|ematics|ematical)?|algebra|calculus|geometry|trigonometry|arithmetic)\b|mathématiques|matemáticas|mathematik|数学/i,
  puzzle:
    /\b(?:puzzle|riddle|knights?|knaves?|liars?|truth-?tellers?|always lie|always tells? the truth|weighings?|balance scale|counterfeit|river crossing|cross the (?:river|bridge)|logic problem|brain ?teaser|syllogism|missing (?:dollar|euro|yuan))\b|énigme|acertijo|adivinanza|rätsel|谜题|谜语|说谎|说真话/i,
  estimate:
    /\b(?:estimate|roughly how many|approximately how many|order of magnitude|fermi|ballpark)\b|estime|estima|schätze|估算|估计/i,
  constraints:
    /\b(?:constraints?|must (?:not|be|come|include)|can'?t (?:be|sit|work|do|before|after)|cannot|only (?:free|available)|budget of|deadline|depends on|needs? [A-Z]\b|schedule|assign|allocate|at most|at least|no more than|trade-?offs?|should (?:we|i)|which (?:option|offer|plan|one should)|rank (?:these|them)|can we (?:make|finish|ship|meet|hit)|is (?:it|this|that) (?:feasible|possible|doable)|will (?:we|it) (?:make|fit|finish))\b|contraintes|restricciones|bedingungen/i,
  diagnosis:
    /\b(?:what(?:'s| is| could be)? (?:causing|the (?:most )?(?:likely|probable) cause)|why (?:does|do|did|is|are|would|might) (?:my|our|the)|diagnose|what could explain|root cause)\b/i,
  greeting:
    /^\s*(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|night)|thanks?(?: you)?(?: (?:so|very) much)?|thx|ty|cheers|ok(?:ay)?|great|cool|perfect|awesome|nice|bye|see you|bonjour|salut|merci(?: beaucoup)?|hola|gracias|buenos días|hallo|guten (?:morgen|tag|abend)|danke(?: schön)?|ciao|grazie|olá|obrigad[oa]|你好|谢谢|早上好|こんにちは|ありがとう)\b[\s!.,:;)(👍🙏😊]*(?:that (?:worked|fixed it|helps?)|it works|how are you\??|for (?:the|your) help)?[\s!.,👍🙏😊]*$/iu,
  boilerplateAsk:
    /\b(?:commit message|pr title|pull request (?:title|template)|\.gitignore|gitignore|\.editorconfig|\.prettierrc|\.dockerignore|\.env\.example|license header|mit license|apache (?:2\.0 )?license|readme template|issue template|bug report template|code of conduct|contributing\.md|changelog template|out-of-office|auto-?reply|lorem ipsum|robots\.txt|boilerplate|skeleton|hello world|makefile|requirements\.txt|tsconfig(?:\.json)?|docker-compose(?:\.ya?ml)?|(?:fake|dummy|sample|mock) (?:user )?(?:data|records|users|entries|json))\b|message de commit|mensaje de commit|commit-nachricht|提交信息/i,
  rewordAsk:
    /\b(?:fix (?:the )?(?:typos?|spelling|grammar)|correct (?:the )?(?:grammar|spelling|typos)|proofread|make (?:this|it) (?:sound )?(?:more )?(?:polite|formal|casual|friendly|professional|concise)|rephrase|reword|paraphrase|passive voice|active voice|title case|uppercase|lowercase|sort (?:these|this|the)|alphabeticall?y|convert (?:this )?(?:csv|json|yaml|list|table|markdown)|(?:to|into) (?:a )?(?:markdown )?table|as a (?:bulleted|numbered) list)\b|corrige|corrija|correggi|korrigiere|formuliere|plus poli|más formal|höflicher|改一下|错别字|更礼貌|formulera om/i,
  codingAgentPrompt:
    /\bclaude code\b|\bcline\b|\baider\b|\bopencode\b|\bcursor\b|\broo code\b|\bkilo code\b|\bcodex\b|\bcontinue\.dev\b|\byou are continue\b|software engineering tasks|coding (?:agent|assistant)|agentic (?:ai )?coding|pair programm|search\/replace block|<environment_details>|tool_use|working directory|the user's codebase|edit files|run (?:shell|terminal) commands/i,
} as const

export type CueName = keyof typeof CUES

export function hasCue(name: CueName, text: string): boolean {
  return CUES[name].test(text)
}
