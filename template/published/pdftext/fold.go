package pdftext

import (
	"golang.org/x/text/unicode/norm"
)

// Fonts that share one glyph between an ideograph and its radical often
// map it to the radical in their ToUnicode table (Chromium's PDFs print
// 工 as U+2F2F ⼯). foldRadicals maps the Kangxi radicals and the CJK
// radicals supplement to the simplified ideographs they look like.
func foldRadicals(s string) string {
	need := false
	for _, r := range s {
		if r >= 0x2E80 && r <= 0x2FDF {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	var out []rune
	for _, r := range s {
		if r >= 0x2E80 && r <= 0x2FDF {
			if t, ok := radicalSimplified[r]; ok {
				r = t
			} else if f := []rune(norm.NFKC.String(string(r))); len(f) == 1 {
				r = f[0]
				if t, ok := traditionalRadical[r]; ok {
					r = t
				}
			}
		}
		out = append(out, r)
	}
	return string(out)
}

// radicalSimplified: radicals whose look-alike in simplified text is not
// their compatibility mapping.
var radicalSimplified = map[rune]rune{
	'⺠': '民', '⻝': '食', '⻔': '门', '⻓': '长', '⻛': '风', '⻜': '飞', '⻢': '马', '⻋': '车', '⻅': '见',
	'⻉': '贝', '⻆': '角', '⻚': '页', '⻘': '青', '⻥': '鱼', '⻦': '鸟', '⻩': '黄', '⻬': '齐', '⻮': '齿',
	'⻰': '龙', '⻳': '龟', '⻈': '讠', '⺟': '母', '⺬': '示', '⺮': '竹', '⻄': '西', '⻨': '麦', '⻤': '鬼',
	'⻧': '卤', '⻣': '骨', '⺁': '厂', '⺇': '几', '⺊': '卜', '⺗': '心', '⺝': '月', '⺩': '王', '⺫': '罒',
	'⺻': '聿', '⺼': '肉', '⻊': '足', '⻖': '阝', '⻏': '阝', '⻌': '辶', '⻍': '辶', '⻎': '辶', '⻙': '韦',
	'⻠': '饣', '⻟': '食', '⼾': '户', '⾒': '见', '⾞': '车', '⾧': '长', '⾨': '门', '⾴': '页', '⾵': '风',
	'⾶': '飞', '⾺': '马', '⿂': '鱼', '⿃': '鸟', '⿆': '麦', '⿈': '黄', '⿑': '齐', '⿒': '齿', '⿓': '龙',
	'⿔': '龟', '⾙': '贝', '⿄': '卤',
}

// traditionalRadical maps the traditional forms NFKC gives for some Kangxi
// radicals to their simplified forms.
var traditionalRadical = map[rune]rune{
	'見': '见', '車': '车', '長': '长', '門': '门', '頁': '页', '風': '风', '飛': '飞', '馬': '马', '魚': '鱼',
	'鳥': '鸟', '麥': '麦', '黃': '黄', '齊': '齐', '齒': '齿', '龍': '龙', '龜': '龟', '戶': '户', '貝': '贝',
	'鹵': '卤',
}
