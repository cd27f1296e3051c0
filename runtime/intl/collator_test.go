package intl

import "testing"

// Expected results from Node.js 20's new Intl.Collator("en", options).compare.
func TestCollator(t *testing.T) {
	pairs := [][2]string{{"a", "b"}, {"a", "A"}, {"A", "a"}, {"a", "á"}, {"résumé", "resume"}, {"item2", "item10"}, {"a", "a"}, {"Z", "a"}, {"", ""}, {"a b", "ab"}}
	tests := []struct {
		opts opts
		want []int
	}{
		{opts{}, []int{-1, -1, 1, -1, 1, 1, 0, 1, 0, -1}},
		{opts{"sensitivity": "base"}, []int{-1, 0, 0, 0, 0, 1, 0, 1, 0, -1}},
		{opts{"sensitivity": "accent"}, []int{-1, 0, 0, -1, 1, 1, 0, 1, 0, -1}},
		{opts{"sensitivity": "case"}, []int{-1, -1, 1, 0, 0, 1, 0, 1, 0, -1}},
		{opts{"numeric": true}, []int{-1, -1, 1, -1, 1, -1, 0, 1, 0, -1}},
		{opts{"ignorePunctuation": true}, []int{-1, -1, 1, -1, 1, 1, 0, 1, 0, 0}},
	}
	for _, tt := range tests {
		c, err := NewCollator("Intl.Collator", MapOptions(tt.opts))
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pairs {
			if got := c.Compare(p[0], p[1]); got != tt.want[i] {
				t.Errorf("%v compare(%q, %q) = %d, want %d", tt.opts, p[0], p[1], got, tt.want[i])
			}
		}
	}
	if _, err := NewCollator("Intl.Collator", MapOptions(opts{"sensitivity": "x"})); err == nil ||
		err.Error() != "RangeError: Value x out of range for Intl.Collator options property sensitivity" {
		t.Errorf("bad sensitivity: got %v", err)
	}
}
