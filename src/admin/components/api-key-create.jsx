import React, { useState } from 'react';
import { Box, Button, FormGroup, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const api = new ApiClient();

/** Creates an API key and shows it once: only its hash is stored, so it cannot be shown again. */
const ApiKeyCreate = (props) => {
  const { resource } = props;
  const [name, setName] = useState('');
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const data = new FormData();
      data.set('name', name);
      const response = await api.resourceAction({ resourceId: resource.id, actionName: 'new', method: 'post', data });
      if (response.data.key) setCreated({ key: response.data.key, name: response.data.record.params.name });
      else setError((response.data.record && response.data.record.errors && response.data.record.errors.name && response.data.record.errors.name.message) || 'The key could not be created.');
    } catch (e) {
      setError('The key could not be created.');
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Box variant="white">
        <MessageBox variant="success" message={`API key "${created.name}" created`} mb="lg" />
        <Text mb="default">Copy the key now: it is stored only as a hash and will not be shown again.</Text>
        <Box p="lg" bg="grey20" style={{ fontFamily: 'monospace', wordBreak: 'break-all' }} data-testid="created-api-key">{created.key}</Box>
      </Box>
    );
  }
  return (
    <Box as="form" variant="white" onSubmit={submit}>
      <FormGroup error={!!error}>
        <Label required>Name</Label>
        <Input name="name" value={name} onChange={(e) => setName(e.target.value)} width={1} />
        {error ? <Text color="error" mt="sm">{error}</Text> : null}
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy}>Create key</Button>
    </Box>
  );
};

export default ApiKeyCreate;
