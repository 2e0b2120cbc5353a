/** The config file's names (a module of its own: finding the file must not load zod). */
export const CONFIG_FILE_NAMES_PLAIN = ['.kordon.yaml', '.kordon.yml'] as const;
