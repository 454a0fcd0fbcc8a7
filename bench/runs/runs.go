// Package runs holds the format of a run folder, the directory a run of
// coldbench writes under reports/, and reads run folders back: their
// summary.json and the interval histograms of their histograms.hlog. The
// harness writes run folders; compare, trend and merge read them.
package runs

// The files of a run folder.
const (
	HistogramsFile = "histograms.hlog" // interval histograms, tags <target>/<class>
	PhasesFile     = "phases.hlog"     // one histogram per phase, tags <target>/<class>
	ResultsFile    = "results.bin"     // every result, vegeta's encoding
	SummaryFile    = "summary.json"    // Summary
	ReportFile     = "index.html"      // the self-contained report
	BenchFile      = "bench.txt"       // the summary in Go's benchmark format, for benchstat
	// In a Lambda function's folder (TargetDir):
	InvocationsFile  = "invocations.csv"  // one row per REPORT line of the RIEs
	FunctionLogFile  = "function.log"     // the rest of the environments' output
	EnvironmentsFile = "environments.csv" // the fleet's timeline
	// LatestLink is the link in the reports folder to the newest run folder.
	LatestLink = "latest"
)
