import { unsetConfigTool } from '../../../protocol/tools/system-tools.js';
import { implementTool } from '../tool-definition.js';

export const unsetConfig = implementTool(unsetConfigTool, (args, { core }) =>
  core.configService.unset(args.key),
);
