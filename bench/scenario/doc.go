// Package scenario reads scenario files: the traffic a run drives at its
// targets (a list of phases, each with a duration and a rate shape) and how
// each target is set up.
//
// A scenario file is one YAML document, a mapping. Only phases is required:
//
//	name: default                  # default: the file name without its extension
//	description: Cold starts at start-up and after an idle gap.   # surrounding space trimmed
//	targets: [server, lambda]      # default [server, lambda]; the order is the run order
//	concurrent: false              # run the targets at the same time; default false
//	host_wait: subtract            # judge latencies less the time targets waited for this machine's CPU
//	                               # (subtract, the default) or as measured (keep)
//	server:
//	  init_work: 50ms              # CPU work once at start-up; default 0
//	  request_work: 1ms            # CPU work per request; default 0
//	  request_wait: 20ms           # waiting per request, no CPU (a database call); default 0
//	function:
//	  sandbox: auto                # auto (container where Docker answers, else process), container or process
//	  runtime: nodejs22.x          # a Lambda runtime for a handler (see the README); runtime: auto|container|process
//	                               # is sandbox's old form, still read
//	  handler: index.handler       # the handler in code: or zip: (with runtime:)
//	  memory: 512                  # MB, a whole number from 128 to 10240; default 512
//	  timeout: 3s                  # whole seconds from 1s to 900s; default 3s
//	  keepalive: 10s               # idle time before an environment is reaped; default 10m;
//	                               # or a range [5m, 15m]: each environment draws its own
//	  max_lifetime: 2h             # recycle an environment this old once it is idle; default never
//	  provisioned: 5               # environments initialized before traffic, never reaped; default 0
//	  faults:                      # failures to inject, shares from 0 to 1; default none
//	    crash: 0.01                #   requests whose function process exits mid-invoke
//	    panic: 0.01                #   requests whose handler panics
//	    timeout: 0.005             #   requests that run past the timeout
//	    init_failure: 0.1          #   new environments whose INIT fails
//	    kill_every: 20s            #   kill one environment from outside this often
//	  scaling: {rate: 1000, per: 10s}  # most new environments per window (per defaults to 10s); default no cap
//	  concurrency: 20              # reserved concurrency, at least 1; default 1000
//	  init_work: 50ms
//	  request_work: 1ms
//	  env:                         # extra environment variables
//	    LOG_LEVEL: info
//	cost:                          # how the report prices the run (package cost)
//	  architecture: arm64          # the function's: x86_64 (default) or arm64
//	  instance: c7g.large          # the server's instance type, from the price file; default t4g.small
//	  min_instances: 2             # fewest server instances; default 1
//	  target_utilization: 0.6      # share of an instance's CPU used at the peak, (0, 1]; default 0.6
//	  front_door: http_api         # what the traffic comes in through: function_url (a function's
//	                               #   default, free), http_api, rest_api or alb for a function, none
//	                               #   (a server's default) or alb for a server; one name sets the
//	                               #   kinds it fits, or {lambda: http_api, server: alb}; a target's
//	                               #   entry may set its own (targets.<name>.front_door)
//	  prices:                      # replace prices of the price file, in US dollars
//	    lambda_request_per_million: 0.20
//	    lambda_gb_second: 0.0000166667
//	    lambda_provisioned_gb_second: 0.0000041667
//	    lambda_provisioned_execution_gb_second: 0.0000097222
//	    instance_hourly: 0.0725
//	    http_api_request_per_million: 1.00   # rest_api_request_per_million, alb_hourly and
//	                                         #   alb_lcu_hourly too
//	phases:
//	  - name: warm-up              # default "phase-N", counting from 1
//	    duration: 15s
//	    shape: constant
//	    rate: 100
//	  - {name: ramp, duration: 10s, shape: ramp, from: 100, to: 300}
//	  - {name: gap, duration: 15s, shape: idle}
//	  - {name: wave, duration: 20s, shape: sine, mean: 150, amplitude: 100, period: 10s}
//
// The rules:
//
//   - targets lists server, lambda or both, each at most once; or it maps
//     names to entries (see targets), where a lambda target may take
//     sweep instead of memory: default (AWS Lambda Power Tuning's sizes,
//     PowerTuningMemory), a list of memory sizes such as [128, 512, 1769],
//     or {memory: <either>, weight: 0.5}, weight being the balanced
//     strategy's weight of cost from 0 to 1 (DefaultBalancedWeight). The
//     scenario then runs one copy of the target per size, named
//     <name>-<MB> (SweptName), in the order of the sweep, each with
//     Target.Sweep naming the entry; an objective naming <name> applies
//     to every size. Sizes are whole MB from 128 to 10240, each at most
//     once, and all the targets the entries make count toward MaxTargets.
//   - Durations are Go duration strings (see time.ParseDuration), such as
//     300ms, 15s or 1m30s. A bare number is a mistake, except 0.
//   - init_work and request_work are at least 0 and below 10s.
//   - env keys match [A-Za-z_][A-Za-z0-9_]* and do not start with AWS_,
//     which Lambda reserves. Values are scalars, taken as their text; an
//     empty value is the empty string.
//   - Each phase has a duration above 0 and a shape, which takes its own
//     fields and no others. Rates are in requests per second, may be
//     fractional, and are above 0:
//     constant takes rate;
//     ramp takes from and to (linear from one to the other);
//     sine takes mean, amplitude (0 < amplitude < mean) and period (> 0);
//     idle takes none and sends no requests;
//     trace takes file and format (csv, timestamps or azure), and may take
//     function or rank (azure), interval (csv), from and to (a window as
//     durations from the trace's start), spacing (even or poisson), seed
//     and speed; its duration is the window's length divided by speed,
//     and may be left out (see TraceData and the README's Trace replay).
//     All trace phases of a scenario share one speed.
//   - Phase names are unique.
//   - request, if given, is what every target is sent instead of POST
//     /order with an order: one request written out, or the requests of
//     a vegeta targets file in turn; see Requests.
//   - Unknown keys, keys given twice, and values of the wrong kind are
//     mistakes. Aliases are followed; merge keys (<<) are not supported.
//
// Parse and Load report every mistake they find, not only the first, as an
// Errors; each Error has the file's path and the line of the mistake, and
// says how to put it right.
package scenario
