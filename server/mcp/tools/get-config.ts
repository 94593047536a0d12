import { getConfigTool } from '../../../protocol/tools/system-tools.js';
import { implementTool } from '../tool-definition.js';

export const getConfig = implementTool(getConfigTool, (args, { core }) => ({
  entries: core.configService.entries(args.key),
}));
