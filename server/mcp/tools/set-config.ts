import { setConfigTool } from '../../../protocol/tools/system-tools.js';
import { implementTool } from '../tool-definition.js';

export const setConfig = implementTool(setConfigTool, (args, { core }) =>
  core.configService.set(args.key, args.value),
);
