package local

import (
	"net/http/httptest"
	"testing"
)

func TestParseFaultRule(t *testing.T) {
	for _, c := range []struct {
		spec    string
		want    FaultRule
		wantErr bool
	}{
		{spec: "429", want: FaultRule{Kind: Fault429}},
		{spec: "500,fraction=0.25", want: FaultRule{Kind: Fault500, Fraction: 0.25}},
		{spec: "drop,path=/storage/kv/,method=put,count=3", want: FaultRule{Kind: FaultDrop, Path: "/storage/kv/", Method: "PUT", Count: 3}},
		{spec: "418", wantErr: true},
		{spec: "429,fraction=2", wantErr: true},
		{spec: "429,fraction", wantErr: true},
		{spec: "429,colour=red", wantErr: true},
	} {
		got, err := ParseFaultRule(c.spec)
		if (err != nil) != c.wantErr || (!c.wantErr && got != c.want) {
			t.Errorf("ParseFaultRule(%q) = %+v, %v", c.spec, got, err)
		}
	}
}

func TestFaultCountAndMatching(t *testing.T) {
	f, err := newFaults([]FaultRule{{Kind: Fault500, Path: "^/a", Method: "GET", Count: 2}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	hits := 0
	for _, target := range []string{"/a/1", "/b", "/a/2", "/a/3"} {
		if _, ok := f.pick(httptest.NewRequest("GET", target, nil)); ok {
			hits++
		}
	}
	if _, ok := f.pick(httptest.NewRequest("POST", "/a/4", nil)); ok {
		t.Fatal("method filter ignored")
	}
	if hits != 2 {
		t.Fatalf("hits = %d, want 2 (count limit)", hits)
	}
	if err := f.set([]FaultRule{{Kind: Fault429, Path: "("}}); err == nil {
		t.Fatal("bad regexp accepted")
	}
}
