/**
 * Shell completion scripts for `scs`, generated from the command table and the global options so
 * they never fall behind: command names (with their summaries where the shell shows them), the
 * subcommands after diary/patient/cohort/followup/audit, the global options, directories after
 * --data-dir and file names elsewhere (scripts, CSV files, audit logs).
 */

export interface CompletionModel {
  commands: { name: string; summary: string; subcommands?: readonly string[] | undefined }[];
  options: { name: string; short?: string; value?: string; help: string }[];
}

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

/** 'text' for bash and zsh: a single-quoted word, quotes inside closed and reopened. */
const posixQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** 'text' for fish, whose single quotes take \' and \\. */
const fishQuote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function optionWords(model: CompletionModel): string {
  return [...model.options.map((o) => o.name), '--version'].join(' ');
}

function bash(model: CompletionModel): string {
  const subcommandCases = model.commands
    .filter((c) => c.subcommands?.length)
    .map((c) => `    ${c.name}) words=${posixQuote(c.subcommands!.join(' '))} ;;`)
    .join('\n');
  const valued = model.options
    .filter((o) => o.value)
    .map((o) => o.name)
    .join('|');
  return `# bash completion for scs (scs-companion).
# Load it now:  eval "$(scs completion bash)"
# Or for good:  scs completion bash > ~/.local/share/bash-completion/completions/scs
_scs_complete() {
  local cur prev cmd at i words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    ${valued}) COMPREPLY=($(compgen -d -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W ${posixQuote(optionWords(model))} -- "$cur"))
    return
  fi
  cmd=""
  at=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${valued}) i=$((i + 1)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; at=$i; break ;;
    esac
  done
  if [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W ${posixQuote(model.commands.map((c) => c.name).join(' '))} -- "$cur"))
    return
  fi
  words=""
  case "$cmd" in
${subcommandCases}
  esac
  if [[ -n "$words" && $((at + 1)) -eq $COMP_CWORD ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _scs_complete scs
`;
}

function zsh(model: CompletionModel): string {
  const commands = model.commands.map((c) => `    ${posixQuote(`${c.name}:${c.summary}`)}`).join('\n');
  const options = model.options
    .map((o) =>
      posixQuote(`${o.name}[${o.help.replace(/[[\]]/g, '')}]${o.value ? `:${o.value.toLowerCase()}:_files -/` : ''}`),
    )
    .join(' ');
  const subcommandCases = model.commands
    .filter((c) => c.subcommands?.length)
    .map((c) => `    ${c.name}) subcommands=(${c.subcommands!.join(' ')}) ;;`)
    .join('\n');
  return `#compdef scs
# zsh completion for scs (scs-companion).
# Load it now:  eval "$(scs completion zsh)"   (after compinit)
# Or for good:  scs completion zsh > "\${fpath[1]}/_scs"
compdef _scs scs

_scs() {
  local -a commands subcommands names
  local cmd
  commands=(
${commands}
  )
  if [[ \${words[CURRENT]} == -* ]]; then
    _arguments -s ${options} '--version[print the version]' '*:file:_files'
    return
  fi
  # The command is the first earlier word that names one (an option's value, e.g. --data-dir DIR, never does).
  names=(\${commands%%:*})
  cmd=\${\${words[2,CURRENT-1]:*names}[1]}
  if [[ -z $cmd ]]; then
    _describe -t commands 'scs command' commands
    return
  fi
  subcommands=()
  case $cmd in
${subcommandCases}
  esac
  if (( \${#subcommands} )) && [[ \${words[CURRENT-1]} == $cmd ]]; then
    compadd -- $subcommands
  else
    _files
  fi
}

# Run the function when zsh autoloads this file; not when it is sourced or eval'ed.
if [ "$funcstack[1]" = "_scs" ]; then
  _scs "$@"
fi
`;
}

/**
 * fish's own `__fish_use_subcommand` takes an option's value (`--data-dir DIR`) for the command;
 * `__scs_command` prints the first word that is neither an option nor an option's value.
 */
function fishCommandFinder(model: CompletionModel): string[] {
  const valued = model.options.filter((o) => o.value).map((o) => o.name);
  return [
    'function __scs_command',
    '    set -l skip 0',
    '    for word in (commandline -opc)[2..-1]',
    '        if test $skip -eq 1',
    '            set skip 0',
    `        else if contains -- $word ${valued.join(' ')}`,
    '            set skip 1',
    "        else if not string match -q -- '-*' $word",
    '            echo $word',
    '            return 0',
    '        end',
    '    end',
    '    return 1',
    'end',
  ];
}

function fish(model: CompletionModel): string {
  const lines = [
    '# fish completion for scs (scs-companion).',
    '# Load it now:  scs completion fish | source',
    '# Or for good:  scs completion fish > ~/.config/fish/completions/scs.fish',
    ...fishCommandFinder(model),
    ...model.commands.map((c) => `complete -c scs -n 'not __scs_command' -f -a ${c.name} -d ${fishQuote(c.summary)}`),
    ...model.commands
      .filter((c) => c.subcommands?.length)
      .map(
        (c) =>
          `complete -c scs -n ${fishQuote(`contains -- ${c.name} (__scs_command); and not __fish_seen_subcommand_from ${c.subcommands!.join(' ')}`)} -f -a ${fishQuote(c.subcommands!.join(' '))}`,
      ),
    ...model.options.map((o) => {
      const short = o.short ? ` -s ${o.short.replace(/^-/, '')}` : '';
      const value = o.value ? ' -r -a "(__fish_complete_directories)"' : '';
      return `complete -c scs -l ${o.name.replace(/^--/, '')}${short}${value} -d ${fishQuote(o.help)}`;
    }),
    "complete -c scs -l version -d 'print the version'",
  ];
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, model: CompletionModel): string {
  return { bash, zsh, fish }[shell](model);
}
