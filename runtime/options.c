/* `cordon run`'s command line (see options.h). */
#include "options.h"

#include "ns_layer.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void usage(FILE *out)
{
	fputs("usage: cordon run [-p POLICY]... [--no-discover] [--report FILE|-]\n"
	      "                  [--workspace DIR] [-q] [--best-effort|--strict]\n"
	      "                  [--cgroup-backend=cgroupfs|libcgroup] [--] CMD [ARG]...\n"
	      "       cordon probe\n"
	      "The policy is layers that only narrow, outermost first: the user's\n"
	      "${XDG_CONFIG_HOME:-~/.config}/cordon/user.cordon when it exists, each -p POLICY\n"
	      "(a compiled .cpb or a source policy), then the .cordon of the working\n"
	      "directory or its nearest parent in the repository (not with --no-discover).\n"
	      "The workspace is DIR, else that .cordon's directory, else the last -p source\n"
	      "policy's, else the working directory.  --report - writes the JSON report to\n"
	      "standard error.  -q: no warning about allowed paths that do not exist on\n"
	      "this machine.\n",
	      out);
}

static int parse_abi(const char *arg, struct opts *o)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);
	if (*end || v > 64) {
		fprintf(stderr, "cordon: error: --assume-landlock-abi takes 0 to 64\n");
		return EXIT_CORDON;
	}
	/* testing: behave as if the kernel had this ABI (never more than it
	 * has; 0: no Landlock at all) */
	o->abi_override = (unsigned)v + 1;
	return 0;
}

static int parse_backend(const char *arg, struct opts *o)
{
	if (strcmp(arg, "cgroupfs") == 0) {
		o->cg_backend = CG_BACKEND_CGROUPFS;
	} else if (strcmp(arg, "libcgroup") == 0) {
		o->cg_backend = CG_BACKEND_LIBCGROUP;
	} else {
		fprintf(stderr, "cordon: error: --cgroup-backend takes cgroupfs or libcgroup, not "
				"'%s'\n", arg);
		return EXIT_CORDON;
	}
	return 0;
}

int parse_run(int argc, char **argv, struct opts *o)
{
	enum { O_REPORT = 256, O_WORKSPACE, O_BEST, O_STRICT, O_ABI, O_CGB, O_HELP, O_NODISC, O_NS };
	static const struct option lo[] = {
		{"policy", required_argument, NULL, 'p'},
		{"no-discover", no_argument, NULL, O_NODISC},
		{"quiet", no_argument, NULL, 'q'},
		{"report", required_argument, NULL, O_REPORT},
		{"workspace", required_argument, NULL, O_WORKSPACE},
		{"best-effort", no_argument, NULL, O_BEST},
		{"strict", no_argument, NULL, O_STRICT},
		{"assume-landlock-abi", required_argument, NULL, O_ABI},
		{"cgroup-backend", required_argument, NULL, O_CGB},
		{"ns-layer", required_argument, NULL, O_NS},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	int c, r = 0;
	optind = 1;
	o->ns_parts = NS_ALL;
	while (!r && (c = getopt_long(argc, argv, "+p:q", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (o->npolicy == OPTS_MAX_POLICIES) {
				fprintf(stderr, "cordon: error: more than %d -p options\n",
					OPTS_MAX_POLICIES);
				return EXIT_CORDON;
			}
			o->policy[o->npolicy++] = optarg;
			break;
		case O_NODISC: o->no_discover = true; break;
		case 'q': o->quiet = true; break;
		case O_REPORT: o->report = optarg; break;
		case O_WORKSPACE: o->workspace = optarg; break;
		case O_BEST: o->best_effort = true; break;
		case O_STRICT: o->strict = true; break;
		case O_ABI: r = parse_abi(optarg, o); break;
		case O_CGB: r = parse_backend(optarg, o); break;
		case O_NS:
			/* benchmarks and tests: less of the namespace layer */
			if (ns_parse_parts(optarg, &o->ns_parts) != 0) {
				fprintf(stderr, "cordon: error: --ns-layer takes all, none or a "
					"list of mount,ipc,view,holds,covers,shm, not '%s'\n", optarg);
				return EXIT_CORDON;
			}
			break;
		case O_HELP: usage(stdout); exit(0);
		default: usage(stderr); return EXIT_CORDON;
		}
	}
	if (r)
		return r;
	if (o->best_effort && o->strict) {
		fputs("cordon: error: --best-effort and --strict contradict each other\n", stderr);
		return EXIT_CORDON;
	}
	if (optind >= argc) {
		fputs("cordon: error: no command given\n", stderr);
		usage(stderr);
		return EXIT_CORDON;
	}
	o->cmd = argv + optind;
	return 0;
}
