// Package scenario reads scenario files: the traffic a run drives at its
// targets (a list of phases, each with a duration and a rate shape), what
// every target is sent, the objectives, the cost section, and each
// target's name and kind. A kind's own settings are its package's to read
// (its Spec, given to Parse and Load from bench/kinds/all).
//
// The file format is documented once, in docs/scenarios.md: its "Key
// reference" lists every key by section, and a test (TestKeysDocumented,
// bench/kinds/all) checks that list against the keys this package and the
// kinds accept (keys.go and each Spec), both ways. Every YAML example of
// the docs is parsed by another (TestDocsExamplesParse).
//
// Parse and Load report every mistake they find, not only the first, as an
// Errors; each Error has the file's path and the line of the mistake, and
// says how to put it right. Format writes a parsed scenario back, the
// parser's other half, for the round trip of FuzzParse.
package scenario
