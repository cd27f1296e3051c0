package worker

import "testing"

// A port whose other end went away (close 1006) leaves its isolate's
// table: nothing can be sent back, so no close of its own will settle it.
// A clean close keeps it until this end answers.
func TestPortLeavesTheTableWhenThePeerIsGone(t *testing.T) {
	cases := []struct {
		name string
		code int
		want int
	}{
		{"peer dropped the connection", closeAbnormal, 0},
		{"peer closed cleanly, not answered yet", 1000, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			iso := &isolate{}
			p := iso.sockets.open(iso, portHolding)
			p.deliver(wsMessage{kind: wsClose, code: tc.code})
			if got := iso.sockets.len(); got != tc.want {
				t.Errorf("%d ports in the table, want %d", got, tc.want)
			}
		})
	}
}
