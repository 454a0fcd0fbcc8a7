package urlkind_test

import (
	"slices"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/urlkind"

	"github.com/coldbench/coldbench/bench/scenario"
)

func TestParseURLTarget(t *testing.T) {
	src := "targets:\n" +
		"  staging:\n" +
		"    kind: url\n" +
		"    url: https://staging.example.com/api/\n" +
		"  fn-url:\n" +
		"    kind: url\n" +
		"    url: http://127.0.0.1:9000\n" +
		"    cold_header: X-Coldbench-Function-Cold\n" +
		"    timeout: 5s\n" +
		"    request:\n      method: GET\n      path: /health?deep=1\n" +
		"objectives: [fn-url/cold p99 < 2s]\n" + idle
	s, err := scenario.Parse("x.yaml", []byte(src), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	st, fn := s.Target("staging"), s.Target("fn-url")
	if st == nil || fn == nil {
		t.Fatalf("targets %v, want staging and fn-url", s.Names())
	}
	want := urlkind.URLConfig{URL: "https://staging.example.com/api", Timeout: urlkind.DefaultURLTimeout}
	if st.Kind != urlkind.Name || urlkind.Settings(*st) != want || st.ColdHeader != "" || !slices.Equal(st.Classes, []string{"all"}) {
		t.Errorf("staging: %+v, classes %v, want %+v recording all", st, st.Classes, want)
	}
	want = urlkind.URLConfig{URL: "http://127.0.0.1:9000", ColdHeader: "X-Coldbench-Function-Cold", Timeout: 5 * time.Second}
	if urlkind.Settings(*fn) != want || fn.ColdHeader != want.ColdHeader || !slices.Equal(fn.Classes, []string{"all", "cold", "warm"}) {
		t.Errorf("fn-url: %+v, classes %v, want %+v recording all, cold and warm", urlkind.Settings(*fn), fn.Classes, want)
	}
	if r := fn.Request.First(); r.Method != "GET" || r.Path != "/health?deep=1" {
		t.Errorf("fn-url request %+v, want GET /health?deep=1", r)
	}
}

func TestParseURLTargetErrors(t *testing.T) {
	entry := func(lines string) string { return "targets:\n  ext:\n    kind: url\n" + lines + idle }
	tests := []struct{ name, src, want string }{
		{"missing url", entry(""),
			"x.yaml:2: targets.ext: missing url; name the endpoint that is already running, such as url: https://staging.example.com"},
		{"bad scheme", entry("    url: ftp://example.com/x\n"),
			`x.yaml:4: targets.ext.url: "ftp://example.com/x": the scheme must be http or https, not "ftp"; write http(s)://host[:port][/base], such as https://staging.example.com/api`},
		{"no scheme", entry("    url: example.com\n"),
			`x.yaml:4: targets.ext.url: "example.com": the scheme must be http or https, not ""; write http(s)://host[:port][/base], such as https://staging.example.com/api`},
		{"no host", entry("    url: http:///order\n"),
			`x.yaml:4: targets.ext.url: "http:///order" has no host; write http(s)://host[:port][/base], such as https://staging.example.com/api`},
		{"query", entry("    url: https://example.com/?a=1\n"),
			`x.yaml:4: targets.ext.url: "https://example.com/?a=1" has a query; put it in the request's path, which is appended to the url`},
		{"user", entry("    url: https://me:secret@example.com\n"),
			`x.yaml:4: targets.ext.url: "https://me:secret@example.com" holds a user or password, which would be written into the report; send credentials as a request header instead`},
		{"url not a string", entry("    url: [a]\n"), "x.yaml:4: targets.ext.url must be a string, not a list"},
		{"unknown key", entry("    url: https://example.com\n    memory: 512\n"),
			`x.yaml:5: unknown key "memory" in targets.ext; valid keys are kind, request, url, cold_header and timeout`},
		{"key typo", entry("    url: https://example.com\n    cold_heder: X-Cold\n"),
			`x.yaml:5: unknown key "cold_heder" in targets.ext (did you mean "cold_header"?)`},
		{"bad cold header", entry("    url: https://example.com\n    cold_header: 'X Cold'\n"),
			`x.yaml:5: targets.ext.cold_header: "X Cold" is not a header name; use letters, digits and -, such as X-Coldbench-Function-Cold`},
		{"timeout zero", entry("    url: https://example.com\n    timeout: 0\n"),
			"x.yaml:5: targets.ext.timeout must be above 0 and at most 15m0s, not 0"},
		{"cold class without header", entry("    url: https://example.com\n") + "objectives: [ext/cold p99 < 1s]\n",
			`x.yaml:6: objective "ext/cold p99 < 1s": ext is a url target, which records all, not cold; remove /cold`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yaml", []byte(tt.src), all.Specs())
			if err == nil {
				t.Fatalf("no error; got %+v", s)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

const idle = "phases: [{duration: 1s, shape: idle}]\n"
