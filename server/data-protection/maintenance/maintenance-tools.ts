/** The tools of the maintenance server (see maintenance-server.ts): encryption, restore and the doctor. */
import {
  decryptDatabaseTool,
  encryptDatabaseTool,
  rekeyDatabaseTool,
  restoreBackupTool,
  runDoctorTool,
} from '../../../protocol/tools/data-tools.js';
import { readConfigText } from '../../config/config-file.js';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { restoreBackup } from '../backup/restore-backup.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { decryptHome, encryptHome, rekeyHome } from '../encryption/encryption-operations.js';
import { maintenanceTool, type MaintenanceContext, type MaintenanceTool } from './maintenance-server.js';

function loadOrError({ paths, env }: MaintenanceContext): LoadedConfig | Error {
  try {
    return loadConfig({ fileText: readConfigText(paths.configFile), filePath: paths.configFile, env });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export const MAINTENANCE_TOOLS: readonly MaintenanceTool[] = [
  maintenanceTool(encryptDatabaseTool, (_args, { paths, env, progress, signal }) =>
    encryptHome(paths, env, progress, signal),
  ),
  maintenanceTool(decryptDatabaseTool, (_args, { paths, env, progress, signal }) =>
    decryptHome(paths, env, progress, signal),
  ),
  maintenanceTool(rekeyDatabaseTool, (args, { paths, env, progress, signal }) =>
    rekeyHome(paths, env, { newKeyFile: args.new_key_file }, progress, signal),
  ),
  maintenanceTool(restoreBackupTool, (args, context) =>
    restoreBackup({ path: args.path, force: args.force ?? false }, context),
  ),
  maintenanceTool(runDoctorTool, (_args, context) => runDoctor({ ...context, config: loadOrError(context) })),
] as unknown as readonly MaintenanceTool[];
