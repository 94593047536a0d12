import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../protocol/errors.js';
import { buildCatalog } from '../../../server/config/catalog.js';
import { loadConfig } from '../../../server/config/load.js';
import { CONFIG_SECTION_NAMES, ConfigSchema } from '../../../server/config/schema.js';

const load = (fileText: string | undefined, env: Record<string, string> = {}) =>
  loadConfig({ fileText, filePath: '/home/config.json', env });

describe('configuration', () => {
  it('has defaults for every key with no file and no environment', () => {
    const { config } = load(undefined);
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 7777, tool_profile: 'core' });
    expect(config.tasks.concurrency).toBe(4);
    expect(config.llm.base_url).toBe('http://127.0.0.1:4000');
  });

  it('applies defaults < file < AZ_* environment', () => {
    const loaded = load(JSON.stringify({ server: { port: 8000 }, tasks: { concurrency: 2 } }), {
      AZ_SERVER_PORT: '9000',
      AZ_LLM_BASE_URL: 'http://proxy:4000',
    });
    expect(loaded.config.server.port).toBe(9000);
    expect(loaded.config.tasks.concurrency).toBe(2);
    expect(loaded.config.llm.base_url).toBe('http://proxy:4000');
    expect(loaded.sourceOf('server.port')).toBe('env');
    expect(loaded.sourceOf('tasks.concurrency')).toBe('file');
    expect(loaded.sourceOf('tasks.max_steps')).toBe('default');
  });

  it('refuses unknown keys in the file with CONFIG_INVALID naming the key', () => {
    expect.assertions(2);
    try {
      load(JSON.stringify({ server: { prot: 1 } }));
    } catch (error) {
      expect((error as AppError).code).toBe('CONFIG_INVALID');
      expect((error as AppError).message).toContain("'prot'");
    }
  });

  it('refuses a config file that is not JSON, saying where it is', () => {
    expect(() => load('{ "server": ')).toThrowError(/config\.json is not valid JSON/);
  });

  it('refuses a bad environment override, naming the variable', () => {
    expect(() => load(undefined, { AZ_SERVER_PORT: 'seventy' })).toThrowError(/AZ_SERVER_PORT/);
  });

  it('gives the same configuration as the whole schema, sections set or not, read or not', () => {
    const files = [
      undefined,
      '{}',
      JSON.stringify({ $schema: './config.schema.json', tasks: { paused: true } }),
      JSON.stringify({ server: { port: 8000 }, security: { tools: { delete_file: 'deny' } } }),
      JSON.stringify({ memory: {}, retention: { audit: { max_count: 10 } }, llm: { provider: 'claude' } }),
    ];
    for (const file of files) {
      const expected = ConfigSchema().parse(file === undefined ? {} : JSON.parse(file));
      const { config } = load(file);
      // Read one section first, then compare the whole object: key order, values, JSON.
      void config.checkpoints;
      expect(Object.keys(config), file).toEqual(Object.keys(expected));
      expect(config, file).toEqual(expected);
      expect(JSON.stringify(load(file).config), file).toBe(JSON.stringify(expected));
      expect(structuredClone(load(file).config), file).toEqual(expected);
    }
    expect(Object.keys(ConfigSchema().shape).filter(key => key !== '$schema')).toEqual(CONFIG_SECTION_NAMES);
  });

  it('checks every section the file or the environment sets at load, not when it is first read', () => {
    expect(() => load(JSON.stringify({ retention: { audit: { max_count: -1 } } }))).toThrowError(
      /retention\.audit\.max_count/,
    );
    expect(() => load(JSON.stringify({ sandbox: {} }))).toThrowError(/unknown key 'sandbox'/);
    expect(() => load(JSON.stringify({ $schema: 7 }))).toThrowError(/\$schema/);
    expect(() => load(undefined, { AZ_SECURITY_SANDBOX: 'sometimes' })).toThrowError(/AZ_SECURITY_SANDBOX/);
    // AZ_ variables that are not config keys are not read as such.
    expect(load(undefined, { AZ_HOME: '/x', AZ_TOKEN: 't', AZ_DB_KEY: 'k' }).config.tasks.concurrency).toBe(
      4,
    );
    const overridden = load(undefined, { AZ_MEMORY_ENABLED: 'false' });
    expect(overridden.sourceOf('memory.enabled')).toBe('env');
    expect(overridden.config.memory.enabled).toBe(false);
  });

  it('maps every key to a distinct AZ_ environment variable', () => {
    const catalog = buildCatalog();
    const names = [...catalog.values()].map(entry => entry.env);
    expect(new Set(names).size).toBe(names.length);
    expect(catalog.get('llm.base_url')?.env).toBe('AZ_LLM_BASE_URL');
    expect(catalog.get('llm.api_key')?.secret).toBe(true);
    expect(catalog.get('llm.provider')?.choices).toContain('claude');
  });
});
