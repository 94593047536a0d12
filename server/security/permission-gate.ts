/**
 * The permission gate: the server's implementation of tools/'s AccessControl port. It asks the policy, and
 * for `ask` asks the user through MCP elicitation when the client can show a form; otherwise it refuses with
 * a message that names the setting that decided and how to change it.
 *
 * Elicitation is written once for both protocol eras: the gate throws InputRequiredSignal carrying an
 * input_required result; a 2026-07-28 client answers it and retries the call, and on 2025-era connections the
 * SDK's shim sends a real elicitation request and re-enters the handler with the answer.
 *
 * Security: an answer counts only for the request it was asked about. The question carries a requestState
 * sealed by the server's codec (request-state.ts: HMAC, per-process key, expiry, bound to the caller) holding a
 * digest of who asks to do what where; a retried call whose state is missing or for another operation is
 * refused here, a forged or expired one by the server before the handler runs. Approvals are never stored:
 * the next call asks again.
 */
import { createHash } from 'node:crypto';
import { inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { AppError } from '../../protocol/errors.js';
import type { AccessControl, AccessRequest } from '../../tools/access.js';
import { isInside, type Confinement } from '../../tools/fs/confine.js';
import { InputRequiredSignal, type ToolContext } from '../mcp/tool-definition.js';
import type { Policy, PolicyDecision, PolicyPath } from './policy.js';

/** The key of the permission question in inputRequests / inputResponses. */
export const PERMISSION_INPUT_KEY = 'az_permission';

export interface PermissionState {
  digest: string;
}

export interface GateDeps {
  policy: Policy;
  confinement: Confinement;
}

const MAX_LISTED = 5;

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join('; ');
  return items.length > MAX_LISTED ? `${shown}; and ${items.length - MAX_LISTED} more` : shown;
}

function shorten(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export function createAccessControl(context: ToolContext, deps: GateDeps): AccessControl {
  const { confinement, policy } = deps;
  const security = () => context.core.config().config.security;

  const toPolicyPath = (real: string): PolicyPath => {
    const root = confinement.roots.find(candidate => isInside(real, candidate));
    const relative =
      root === undefined
        ? real
        : real
            .slice(root.length)
            .replace(/^[\\/]+/, '')
            .split(/[\\/]/)
            .join('/');
    return { real, relative: relative === '' ? '.' : relative };
  };

  const describe = (request: AccessRequest): string => {
    if (request.command !== undefined) return `run_shell_command of '${shorten(request.command)}'`;
    const shown = request.paths.map(path => `'${confinement.display(path)}'`);
    return shown.length === 0 ? request.tool : `${request.tool} on ${list(shown)}`;
  };

  const digestOf = (request: AccessRequest): string =>
    createHash('sha256')
      .update(
        JSON.stringify([
          context.principal.name,
          context.scope?.taskId ?? null,
          request.tool,
          request.operation,
          request.paths,
          request.command ?? null,
        ]),
      )
      .digest('base64url');

  const refuse = (request: AccessRequest, decision: PolicyDecision, consequence?: string): AppError =>
    new AppError(
      'PERMISSION_DENIED',
      `${describe(request)} was refused: ${list(decision.reasons)}${consequence ? ` — ${consequence}` : ''}`,
      {
        hint: decision.hints.join(' '),
        details: { tool: request.tool, reasons: decision.reasons.slice(0, 20) },
      },
    );

  const canElicit = (): boolean => {
    const elicitation = context.clientCapabilities()?.elicitation as Record<string, unknown> | undefined;
    if (elicitation === undefined) return false;
    // An empty elicitation capability means form mode (the spec's backwards-compatible default).
    return Object.keys(elicitation).length === 0 || elicitation.form !== undefined;
  };

  const ask = async (request: AccessRequest, decision: PolicyDecision): Promise<void> => {
    const digest = digestOf(request);
    const answer = inputResponse(context.mcp.mcpReq.inputResponses, PERMISSION_INPUT_KEY);
    if (answer.kind === 'elicit') {
      // The server verified the echoed state (HMAC, expiry, caller) before this call reached the handler.
      const verified = context.mcp.mcpReq.requestState<PermissionState>();
      if (typeof verified !== 'object' || verified === null || verified.digest !== digest) {
        throw refuse(request, decision, 'the approval sent with this call was not given for this operation');
      }
      if (answer.action === 'accept' && answer.content?.allow === true) return;
      throw refuse(request, decision, 'the user declined');
    }
    if (!canElicit()) {
      throw refuse(
        request,
        decision,
        "it needs the user's approval, and this client cannot ask its user (it does not support MCP elicitation)",
      );
    }
    const who = context.scope
      ? `The agent working on task ${context.scope.taskId}`
      : `'${context.principal.name}'`;
    throw new InputRequiredSignal(
      inputRequired({
        inputRequests: {
          [PERMISSION_INPUT_KEY]: inputRequired.elicit({
            message: `AZ-OS: ${who} asks to perform ${describe(request)}. It needs approval because ${list(decision.reasons)}. Allow it this once?`,
            requestedSchema: {
              type: 'object',
              properties: {
                allow: {
                  type: 'boolean',
                  title: 'Allow this once',
                  description: 'Nothing is remembered: the next time asks again',
                },
              },
              required: ['allow'],
            },
          }),
        },
        requestState: await context.requestState.mint({ digest } satisfies PermissionState, context.mcp),
      }),
    );
  };

  return {
    async authorize(request) {
      const decision = policy.evaluate(security(), {
        tool: request.tool,
        operation: request.operation,
        paths: request.paths.map(toPolicyPath),
        command: request.command,
      });
      if (decision.action === 'allow') return;
      if (decision.action === 'deny') throw refuse(request, decision);
      await ask(request, decision);
    },

    readableWithoutAsking(real) {
      return (
        // Path rules and protection only: the tool's own setting was settled by authorize for the whole call.
        policy.evaluate(security(), { tool: '', operation: 'read', paths: [toPolicyPath(real)] }).action ===
        'allow'
      );
    },

    recordTargets(paths) {
      // Real absolute paths: unambiguous in the audit log whichever workspace a call ran in.
      context.recordTargets(paths);
    },
  };
}
