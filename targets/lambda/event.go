package lambda

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// event is a Function URL request in payload format 2.0. aws-lambda-go's
// type lacks routeKey.
type event struct {
	events.LambdaFunctionURLRequest
	RouteKey string `json:"routeKey"`
}

// timeLayout is requestContext.time's layout.
const timeLayout = "02/Jan/2006:15:04:05 -0700"

// newEvent turns a plain HTTP request, whose body has been read, into the
// event a Function URL sends to the function.
func newEvent(r *http.Request, body []byte, requestID string, now time.Time) *event {
	sourceIP, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		sourceIP = r.RemoteAddr
	}
	headers := make(map[string]string, len(r.Header)+3)
	var cookies []string
	for k, vs := range r.Header {
		if k == "Cookie" {
			for _, v := range vs {
				for c := range strings.SplitSeq(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	headers["host"] = r.Host
	headers["x-forwarded-for"] = sourceIP
	headers["x-forwarded-proto"] = "http"

	var query map[string]string
	if r.URL.RawQuery != "" {
		values := r.URL.Query()
		query = make(map[string]string, len(values))
		for k, vs := range values {
			query[k] = strings.Join(vs, ",")
		}
	}

	ev := &event{RouteKey: "$default"}
	ev.Version = "2.0"
	ev.RawPath = r.URL.EscapedPath()
	ev.RawQueryString = r.URL.RawQuery
	ev.Cookies = cookies
	ev.Headers = headers
	ev.QueryStringParameters = query
	ev.RequestContext = events.LambdaFunctionURLRequestContext{
		AccountID:    "anonymous",
		RequestID:    requestID,
		APIID:        "coldbench",
		DomainName:   r.Host,
		DomainPrefix: "coldbench",
		Time:         now.UTC().Format(timeLayout),
		TimeEpoch:    now.UnixMilli(),
		HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{
			Method:    r.Method,
			Path:      r.URL.Path,
			Protocol:  r.Proto,
			SourceIP:  sourceIP,
			UserAgent: r.UserAgent(),
		},
	}
	if len(body) > 0 {
		if utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// functionResponse is what a function returns: a Function URL response, a
// function error, or any other JSON value.
type functionResponse struct {
	events.LambdaFunctionURLResponse
	ErrorMessage *string `json:"errorMessage"`
	ErrorType    *string `json:"errorType"`
}

// response is a function's answer turned into HTTP.
type response struct {
	status  int
	headers map[string]string
	cookies []string
	body    []byte
	// fnError is set, and status is 502, if the function returned an
	// error: errorType, or errorMessage.
	fnError string
}

// parseResponse turns the payload a function returned into HTTP as a
// Function URL does: a JSON object with a statusCode is a structured
// response (a function error, 502, if that is not a status from 200 to
// 599); any other JSON is a 200 with the payload as body. A payload that
// is not JSON, or a malformed structured response, is an error; see
// malformedResponse.
func parseResponse(payload []byte) (response, error) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if !json.Valid(trimmed) {
			return response{}, errors.New("not valid JSON")
		}
		return rawResponse(payload), nil
	}
	var fr functionResponse
	if err := json.Unmarshal(trimmed, &fr); err != nil {
		return response{}, err
	}
	if fr.StatusCode == 0 {
		if fr.ErrorType != nil || fr.ErrorMessage != nil {
			msg := deref(fr.ErrorType)
			if msg == "" {
				msg = deref(fr.ErrorMessage)
			}
			return response{status: http.StatusBadGateway, body: []byte(bodyInternalError), fnError: msg}, nil
		}
		return rawResponse(payload), nil
	}
	if fr.StatusCode < 200 || fr.StatusCode > 599 {
		// Not a final HTTP status: net/http panics on it below 100 or
		// above 999 and takes 1xx as informational. Lambda answers 502.
		msg := "invalid statusCode " + strconv.Itoa(fr.StatusCode)
		return response{status: http.StatusBadGateway, body: []byte(bodyInternalError), fnError: msg}, nil
	}
	resp := response{
		status:  fr.StatusCode,
		headers: fr.Headers,
		cookies: fr.Cookies,
		body:    []byte(fr.Body),
	}
	if fr.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(fr.Body)
		if err != nil {
			return response{}, err
		}
		resp.body = b
	}
	return resp, nil
}

// malformedResponse is the answer to a payload parseResponse refused with
// err. AWS documents only what a Function URL does with valid JSON; this
// answers the rest as a function error: a 502 with Lambda's Internal
// Server Error body, the environment kept, since its runtime did answer.
func malformedResponse(err error) response {
	return response{status: http.StatusBadGateway, body: []byte(bodyInternalError), fnError: "malformed response: " + err.Error()}
}

func rawResponse(payload []byte) response {
	return response{
		status:  http.StatusOK,
		headers: map[string]string{"Content-Type": "application/json"},
		body:    payload,
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// write writes resp to w after the headers already set there.
func (resp *response) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range resp.headers {
		h.Set(k, v)
	}
	for _, c := range resp.cookies {
		h.Add("Set-Cookie", c)
	}
	if resp.fnError != "" {
		h.Set("Content-Type", "application/json")
		h.Set(HeaderError, "function error: "+resp.fnError)
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}
