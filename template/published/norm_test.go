package published

import "testing"

// TestNorm: norm's forms, and its shortcut for a string it leaves as it is
// (normal) agrees with the full path, invalid bytes included.
func TestNorm(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"(三) 不予 公开", "（三）不予公开"},
		{"（三）不予公开", "（三）不予公开"},
		{"１、其他", "1.其他"},
		{"1 、其他", "1.其他"},
		{"政府信息公开，条例：“第十条”", "政府信息公开，条例：第十条"},
		{"a\u3000b\u00a0c\u200bd\ufeff", "abcd"},
		{"表三\xff", "表三\ufffd"},
		{"\ufffd", "\ufffd"},
		{"", ""},
	} {
		if got := norm(tt.in); got != tt.want {
			t.Errorf("norm(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := norm(tt.want); got != tt.want {
			t.Errorf("norm(%q) = %q, not itself", tt.want, got)
		}
		if normal(tt.in) != (tt.in == tt.want && tt.in != "\ufffd") && tt.in != "\ufffd" {
			t.Errorf("normal(%q) = %v", tt.in, normal(tt.in))
		}
	}
}
