import { getStatusTool } from '../../../protocol/tools/system-tools.js';
import { collectStatus } from '../../status.js';
import { implementTool } from '../tool-definition.js';

export const getStatus = implementTool(getStatusTool, (_args, { core, principal }) =>
  collectStatus(core, principal),
);
