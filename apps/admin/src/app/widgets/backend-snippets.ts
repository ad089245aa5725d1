/** How a client's backend asks Keyring for a userHash, filled in with this widget's endpoint. */
export function backendSnippets(origin: string, widgetId: string): { label: string; code: string }[] {
  const url = `${origin}/api/v1/widgets/${widgetId}/user-hash`;
  return [
    {
      label: 'curl',
      code: [`curl -X POST '${url}' \\`, `  -H "Authorization: Bearer $KEYRING_API_KEY" \\`, `  -H 'Content-Type: application/json' \\`, `  -d '{"userIdentifier": "visitor@example.com"}'`].join('\n'),
    },
    {
      label: 'Node',
      code: [
        `const response = await fetch('${url}', {`,
        `  method: 'POST',`,
        `  headers: { Authorization: \`Bearer \${process.env.KEYRING_API_KEY}\`, 'Content-Type': 'application/json' },`,
        `  body: JSON.stringify({ userIdentifier: user.email }),`,
        `});`,
        `if (!response.ok) throw new Error(\`Keyring answered \${response.status}\`);`,
        `const { userHash } = await response.json();`,
      ].join('\n'),
    },
    {
      label: 'PHP',
      code: [
        `$ch = curl_init('${url}');`,
        `curl_setopt_array($ch, [`,
        `    CURLOPT_POST => true,`,
        `    CURLOPT_RETURNTRANSFER => true,`,
        `    CURLOPT_HTTPHEADER => ['Authorization: Bearer ' . getenv('KEYRING_API_KEY'), 'Content-Type: application/json'],`,
        `    CURLOPT_POSTFIELDS => json_encode(['userIdentifier' => $user->email]),`,
        `]);`,
        `$userHash = json_decode(curl_exec($ch), true)['userHash'];`,
      ].join('\n'),
    },
  ];
}
