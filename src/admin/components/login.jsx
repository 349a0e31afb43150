import React from 'react';
import { Box, Button, FormGroup, H2, H5, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

/**
 * The sign-in page: paymux's name and one line on what the panel is, then the form. In place of
 * AdminJS's own page with its illustrations.
 */
const Login = () => {
  const { action, errorMessage: message } = window.__APP_STATE__;
  const { translateComponent, translateMessage } = useTranslation();
  return (
    <Box flex variant="grey" style={{ alignItems: 'center', justifyContent: 'center', flexDirection: 'column', height: '100%' }}>
      <Box bg="white" flex boxShadow="login" width={[1, 2 / 3, 'auto']} data-testid="login">
        <Box bg="primary100" color="white" p="x3" width="380px" flexGrow={0} display={['none', 'none', 'block']}>
          <H2 fontWeight="lighter">{translateComponent('Login.welcomeHeader')}</H2>
          <Text fontWeight="lighter" mt="default">{translateComponent('Login.welcomeMessage')}</Text>
        </Box>
        <Box as="form" action={action} method="POST" p="x3" flexGrow={1} width={['100%', '100%', '480px']}>
          <H5 marginBottom="xxl">Sign in</H5>
          {message ? <MessageBox my="lg" message={message.split(' ').length > 1 ? message : translateMessage(message)} variant="danger" /> : null}
          <FormGroup>
            <Label required>{translateComponent('Login.properties.email')}</Label>
            <Input name="email" type="email" autoComplete="username" placeholder="you@example.com" />
          </FormGroup>
          <FormGroup>
            <Label required>{translateComponent('Login.properties.password')}</Label>
            <Input type="password" name="password" autoComplete="current-password" />
          </FormGroup>
          <Text mt="xl" textAlign="center">
            <Button variant="contained">{translateComponent('Login.loginButton')}</Button>
          </Text>
        </Box>
      </Box>
    </Box>
  );
};

export default Login;
