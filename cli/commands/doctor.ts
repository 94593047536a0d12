import { findDaemon } from '../../protocol/daemon.js';
import { runDoctorTool, type DoctorCheck } from '../../protocol/tools/data-tools.js';
import { getStatusTool, type ComponentStatus } from '../../protocol/tools/system-tools.js';
import type { Command, CommandContext } from '../command.js';
import { connect } from '../connect.js';
import { EXIT } from '../exit-codes.js';
import { connectMaintenance } from '../maintenance.js';
import { clean } from '../output.js';

const SYMBOL: Record<DoctorCheck['status'], string> = {
  ok: 'ok  ',
  warn: 'WARN',
  fail: 'FAIL',
  skip: ' -  ',
};

const COMPONENT_STATUS: Record<ComponentStatus['status'], DoctorCheck['status']> = {
  ok: 'ok',
  degraded: 'warn',
  unavailable: 'fail',
  disabled: 'skip',
};

/** The running server's own view of its subsystems (memory, LLM, sandbox…), when one runs. */
async function serverChecks(context: CommandContext): Promise<DoctorCheck[]> {
  const daemon = findDaemon(context.paths);
  if (!daemon) {
    return [
      {
        id: 'server',
        title: 'Server',
        status: 'skip',
        detail: 'no server runs on this home (start it with az serve)',
      },
    ];
  }
  try {
    const { client } = await connect({
      paths: context.paths,
      env: context.env,
      url: daemon.url,
      home: context.globals.home,
      profile: context.globals.profile,
    });
    try {
      const status = await client.call(getStatusTool, {}, { timeoutMs: 10_000 });
      return [
        {
          id: 'server',
          title: 'Server',
          status: 'ok',
          detail: `AZ-OS ${status.version} at ${daemon.url} (pid ${daemon.pid})`,
        },
        ...Object.entries(status.components).map(([name, component]): DoctorCheck => ({
          id: `server.${name}`,
          title: `Server: ${name}`,
          status: COMPONENT_STATUS[component.status],
          detail: component.detail,
          ...(component.status === 'unavailable' || component.status === 'degraded'
            ? { fix: 'See the server log (AZ_HOME/logs/server.log when detached) and `az status`.' }
            : {}),
        })),
      ];
    } finally {
      await client.close();
    }
  } catch (error) {
    return [
      {
        id: 'server',
        title: 'Server',
        status: 'fail',
        detail: `the server at ${daemon.url} (pid ${daemon.pid}) does not answer: ${error instanceof Error ? error.message : String(error)}`,
        fix: `Restart it: stop pid ${daemon.pid}, then az serve.`,
      },
    ];
  }
}

const command: Command = {
  usage: 'az doctor [--json]',
  summary: 'Check the installation and data, with a fix for each problem',
  flags: {},
  args: 0,
  details:
    'Checks Node, AZ_HOME and token permissions, the configuration, the database (integrity, migrations,\n' +
    'encryption and key), free disk, the Chroma binding and server, bubblewrap, the LLM gateway, and — when a\n' +
    'server runs — its subsystems. Exit code 12 when any check fails; warnings alone exit 0.',
  async run(context) {
    const client = await connectMaintenance(context);
    let checks: DoctorCheck[];
    try {
      checks = (await client.call(runDoctorTool, {}, { signal: context.signal, timeoutMs: 30_000 })).checks;
    } finally {
      await client.close();
    }
    checks = [...checks, ...(await serverChecks(context))];
    const ok = checks.every(check => check.status !== 'fail');
    if (context.globals.json) {
      context.out.json({ ok, checks });
    } else {
      const width = Math.max(...checks.map(check => check.title.length));
      for (const check of checks) {
        context.out.print(`${SYMBOL[check.status]}  ${check.title.padEnd(width)}  ${clean(check.detail)}`);
        if (check.fix && check.status !== 'ok')
          context.out.print(`      ${' '.repeat(width)}  fix: ${clean(check.fix)}`);
      }
      const failed = checks.filter(check => check.status === 'fail').length;
      const warned = checks.filter(check => check.status === 'warn').length;
      context.out.print('');
      context.out.print(
        failed === 0
          ? `all good${warned > 0 ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}`
          : `${failed} problem${failed > 1 ? 's' : ''} found`,
      );
    }
    return ok ? EXIT.ok : EXIT.unhealthy;
  },
};
export default command;
