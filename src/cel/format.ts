/** The named formats of the Kubernetes CEL format library (validation as apimachinery's). */
export class CelFormat {
  /** The MaxRegexSize of k8s.io/apiserver's library/format.go (what validate() is charged by). */
  readonly maxRegexSize: number;
  constructor(readonly name: string) {
    this.maxRegexSize = MAX_REGEX_SIZE[name] ?? 100;
  }
}

const MAX_REGEX_SIZE: Record<string, number> = {
  dns1123Label: 30,
  dns1123Subdomain: 60,
  dns1035Label: 30,
  qualifiedName: 60,
  dns1123LabelPrefix: 30,
  dns1123SubdomainPrefix: 60,
  dns1035LabelPrefix: 30,
  labelValue: 40,
  uri: 1103,
  uuid: 70,
  byte: 84,
  date: 71,
  datetime: 71,
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function maxLen(s: string, n: number): string[] {
  return s.length > n ? [`must be no more than ${n} characters`] : [];
}
function label(s: string): string[] {
  return [...maxLen(s, 63), ...(DNS1123_LABEL.test(s) ? [] : ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"])];
}
function subdomain(s: string): string[] {
  return [...maxLen(s, 253), ...(DNS1123_SUBDOMAIN.test(s) ? [] : ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"])];
}
function dns1035(s: string): string[] {
  return [...maxLen(s, 63), ...(DNS1035_LABEL.test(s) ? [] : ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"])];
}
function prefix(f: (s: string) => string[]) {
  return (s: string) => f(s.endsWith('-') ? s.slice(0, -1) + 'a' : s);
}
function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  const errs: string[] = [];
  let name = s;
  if (parts.length === 2) {
    if (parts[0] === '') errs.push('prefix part must be non-empty');
    else errs.push(...subdomain(parts[0]!).map((e) => `prefix part ${e}`));
    name = parts[1]!;
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return errs;
}

export const NAMED_FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: label,
  dns1123Subdomain: subdomain,
  dns1035Label: dns1035,
  qualifiedName,
  dns1123LabelPrefix: prefix(label),
  dns1123SubdomainPrefix: prefix(subdomain),
  dns1035LabelPrefix: prefix(dns1035),
  labelValue: (s) => [...maxLen(s, 63), ...(LABEL_VALUE.test(s) ? [] : ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"])],
  uri: (s) => (/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$|^\/[^\s]*$/.test(s) ? [] : ['invalid URI']),
  uuid: (s) => (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s + 'T00:00:00Z')) ? [] : ['invalid date']),
  datetime: (s) => (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid datetime']),
};
