// Child of `npm run bench:detect`: reads one big log through the tailer and the classifier, then prints the peak
// resident set size (getrusage's maxRSS) before and after. Bundled to plain JavaScript by the bench before it runs.
import { candidateFilter, classify } from '../src/main/detect/classify.js'
import { Tailer, type FileMark } from '../src/main/detect/tailer.js'

const file = process.argv[2]!
const before = process.resourceUsage().maxRSS * 1024
let marks: Record<string, FileMark> = {}
let alerts = 0
new Tailer({
  patterns: [file], source: 'teams', fromStart: true, filter: candidateFilter,
  marks: { load: () => marks, save: (m) => void (marks = m) },
  onRecord: (r) => { if (classify(r.text, r.source)?.alert) alerts++ },
}).scan()
console.log(JSON.stringify({ before, peak: process.resourceUsage().maxRSS * 1024, alerts }))
