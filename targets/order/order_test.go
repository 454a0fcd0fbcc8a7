package order_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/targets/order"
)

func TestHandle(t *testing.T) {
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
	}{
		{"created", "POST", "/order", `{"item":"book","qty":1}`, 201},
		{"empty object", "POST", "/order", ` {} `, 201},
		{"wrong path", "POST", "/orders", `{}`, 404},
		{"root", "GET", "/", ``, 404},
		{"get", "GET", "/order", ``, 405},
		{"put", "PUT", "/order", `{}`, 405},
		{"empty body", "POST", "/order", ``, 400},
		{"array", "POST", "/order", `[1,2]`, 400},
		{"string", "POST", "/order", `"x"`, 400},
		{"broken", "POST", "/order", `{"a":`, 400},
		{"trailing garbage", "POST", "/order", `{} x`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, ctype, body := order.Handle(order.Request{Method: tc.method, Path: tc.path, Body: []byte(tc.body)})
			if status != tc.status {
				t.Errorf("status = %d, want %d (body %q)", status, tc.status, body)
			}
			if ctype != order.TextPlain {
				t.Errorf("content type = %q", ctype)
			}
			if (status == 201) != (body == order.Created) {
				t.Errorf("body = %q", body)
			}
		})
	}
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(order.Handler(order.Work{Request: 100 * 1000, Rate: 1000}))
	defer srv.Close()

	for _, tc := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/order", `{"item":"book"}`, 201, "Order created!"},
		{"GET", "/order", ``, 405, "Method Not Allowed"},
		{"POST", "/nope", `{}`, 404, "Not Found"},
		{"POST", "/order", `nope`, 400, "Bad Request: body must be a JSON object"},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || string(b) != tc.want {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, resp.StatusCode, b, tc.status, tc.want)
		}
		if ct := resp.Header.Get("Content-Type"); ct != order.TextPlain {
			t.Errorf("%s %s: Content-Type %q", tc.method, tc.path, ct)
		}
		if tc.status == 405 && resp.Header.Get("Allow") != "POST" {
			t.Errorf("405 without Allow: POST")
		}
	}
}
